package dev.fusionextract.emulator.fusion;

/** The JSON shapes in which Fusion (and public code reading it) has been seen to report a job's status. */
public enum StatusShape {
    /** The shape Oracle documents: jobDetails with jobStatus and jobProgress.status. */
    DOCUMENTED,
    /** Only a top-level jobStatus. */
    TOP_LEVEL_STATUS,
    /** Only a top-level jobProgress.status. */
    TOP_LEVEL_PROGRESS,
    /** Only jobDetails.jobProgress.status. */
    DETAILS_PROGRESS
}
