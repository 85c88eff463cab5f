package dev.fusionextract.emulator.fusion;

/**
 * How an occurrence of a recurring job names its parent in the job requests list. Oracle documents none of them;
 * public automation code accepts each (see the Fusion reference notes), so the simulator can produce each.
 */
public enum OccurrenceShape {
    /** {@code jobRequest.requestParameters.parentRequest = <parent id>}. */
    PARENT_REQUEST,
    /** {@code jobRequest.clientRequestUuid = "<parent id>,<uuid>"}. */
    CLIENT_REQUEST_UUID,
    /** {@code jobRequest.requestParameters.requestExecutionContext = "<parent id>,<n>"}. */
    EXECUTION_CONTEXT
}
