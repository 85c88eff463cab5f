package dev.fusionextract.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A handler's answer. The rule that keeps OCI's at-least-once delivery calm: {@link Outcome#DONE} (HTTP 200)
 * when the work is done or can never be done (malformed, rejected, already done: recorded first), so nothing
 * is delivered again; {@link Outcome#RETRY} (a function error, 502 at the Fn side) only for failures that
 * may pass, so OCI Events or Notifications deliver the same message again later.
 */
public record Reply(Outcome outcome, ObjectNode body) {

    public enum Outcome { DONE, RETRY }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An empty JSON object to fill in. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static Reply done(ObjectNode body) {
        return new Reply(Outcome.DONE, body);
    }

    /**
     * The attempt is claimed by another invocation whose lease has not run out. Answered as a function error, so
     * that OCI delivers it again later: by then that invocation has finished (the attempt is done and this copy
     * is dropped) or died (its lease has run out and this copy takes over). A 200 here would lose the message
     * for good if the holder had died early.
     */
    public static Reply busy(String runId, String stage, int attempt) {
        Reply reply = retry("held by another invocation: " + stage + " attempt " + attempt + " of run " + runId + "; deliver again later");
        reply.body().put("runId", runId);
        return reply;
    }

    public static Reply retry(String error) {
        ObjectNode body = object();
        body.put("error", error);
        body.put("retryable", true);
        return new Reply(Outcome.RETRY, body);
    }

    public byte[] bytes() {
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
