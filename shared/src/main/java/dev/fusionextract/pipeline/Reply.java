package dev.fusionextract.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;

import java.util.Optional;

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

    /** Acknowledged and not worked on: a duplicate, a stale attempt, or a message for a run that no longer waits for it. */
    public static Reply dropped(String runId, String why, JsonLog log) {
        log.info("message dropped", "reason", why);
        ObjectNode body = object();
        body.put("runId", runId);
        body.put("dropped", why);
        return done(body);
    }

    /** The answer to {@code fusion-extract doctor}'s test message: logged, so a person can see the topic reached the function. */
    public static Reply ping(String function, JsonLog log) {
        log.info("doctor ping received", "function", function);
        ObjectNode body = object();
        body.put("ping", "received by " + function);
        return done(body);
    }

    /**
     * The answer for a delivery whose claim on {@code (stage, attempt)} was not granted, or empty when it was
     * (CLAIM or TAKE_OVER). DONE and STALE are dropped. BUSY, an attempt held by another invocation whose lease
     * has not run out, is answered as a function error so that OCI delivers it again later: by then that
     * invocation has finished (DONE, dropped) or died (its lease has run out, TAKE_OVER). A 200 here would lose
     * the message for good if the holder had died early.
     */
    public static Optional<Reply> unlessClaimed(RunRecord.Decision decision, String runId, Stage stage, int attempt, JsonLog log) {
        return switch (decision) {
            case CLAIM, TAKE_OVER -> Optional.empty();
            case BUSY -> Optional.of(busy(runId, stage, attempt, log));
            case DONE, STALE -> Optional.of(dropped(runId, "attempt " + attempt + " is " + decision, log));
        };
    }

    /** Asks OCI to deliver again a message whose attempt another invocation holds (see {@link #unlessClaimed}). */
    public static Reply busy(String runId, Stage stage, int attempt, JsonLog log) {
        log.info("attempt held by another invocation, asking for redelivery", "stage", stage, "attempt", attempt);
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

    /** The same answer with every text passed through {@code redactor} and cut to {@link Reasons#MAX_CHARS}. */
    public Reply redacted(Redactor redactor) {
        return new Reply(outcome, (ObjectNode) clean(body, redactor));
    }

    private static JsonNode clean(JsonNode node, Redactor redactor) {
        if (node.isTextual()) {
            return TextNode.valueOf(Reasons.cut(redactor.redact(node.asText())));
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), clean(f.getValue(), redactor)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(clean(item, redactor)));
            return copy;
        }
        return node;
    }

    public byte[] bytes() {
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
