package dev.fusionextract.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.ledger.RunId;
import dev.fusionextract.json.StrictJson;
import dev.fusionextract.ledger.RunState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes and reads stage messages: {@code {"v":1,"type":"POLL","runId":..,...}}. Reading is strict and reports every problem. */
public final class StageMessages {

    private static final ObjectMapper JSON = StrictJson.strict();
    /** Fusion job ids are numbers, task-run keys UUIDs: nothing that could climb out of a path. */
    static final String PING = "PING";
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,256}");

    private StageMessages() {
    }

    public static String type(StageMessage message) {
        if (message instanceof StageMessage.Poll) {
            return "POLL";
        }
        return message instanceof StageMessage.Transfer ? "TRANSFER" : "STATUS";
    }

    public static String toJson(StageMessage message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", StageMessage.VERSION);
        node.put("type", type(message));
        node.put("runId", message.runId());
        if (message instanceof StageMessage.Poll poll) {
            node.put("system", poll.system().name());
            node.put("jobId", poll.jobId());
            node.put("attempt", poll.attempt());
        } else if (message instanceof StageMessage.Transfer transfer) {
            node.put("jobRequestId", transfer.jobRequestId());
            node.put("attempt", transfer.attempt());
            if (transfer.cursor() != null) {
                node.put("cursor", transfer.cursor());
            }
            if (transfer.worker() != null) {
                node.put("worker", transfer.worker());
            }
        } else if (message instanceof StageMessage.Status status) {
            node.put("state", status.state().name());
            if (status.reason() != null) {
                node.put("reason", status.reason());
            }
        }
        return node.toString();
    }

    /**
     * A test message for a topic: what {@code fusion-extract doctor} publishes to prove a topic takes a publish and
     * delivers it. The functions that read the topic answer it and do nothing else.
     */
    public static String ping(java.time.Instant at) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", StageMessage.VERSION);
        node.put("type", PING);
        node.put("from", "fusion-extract doctor");
        node.put("at", at.toString());
        return node.toString();
    }

    /** True when the body is a {@link #ping} (a JSON object whose type is PING); anything else is read as a stage message. */
    public static boolean isPing(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() && PING.equals(node.path("type").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a message of the expected type; anything else is an {@link InvalidRequestException} listing every problem. */
    public static <T extends StageMessage> T parse(String text, Class<T> expected) {
        String wanted = expected == StageMessage.Poll.class ? "POLL" : expected == StageMessage.Transfer.class ? "TRANSFER" : "STATUS";
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidRequestException("The " + wanted + " message", List.of("it is not valid JSON (" + StrictJson.problem(e) + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("The " + wanted + " message", List.of("it is not a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        if (!node.path("v").isInt() || node.path("v").asInt() != StageMessage.VERSION) {
            problems.add("version " + (node.has("v") ? node.get("v").toString() : "(missing)") + " is not supported; this function reads v="
                    + StageMessage.VERSION);
        }
        if (!wanted.equals(node.path("type").asText())) {
            problems.add("type must be " + wanted + ", got " + (node.has("type") ? node.get("type").toString() : "(missing)")
                    + " (one message type per topic: check the subscription)");
        }
        JsonNode runIdNode = node.get("runId");
        String runId = runIdNode != null && runIdNode.isTextual() && RunId.valid(runIdNode.asText()) ? runIdNode.asText() : null;
        if (runId == null) {
            problems.add("runId must be " + RunId.RULE);
        }
        Set<String> allowed = switch (wanted) {
            case "POLL" -> Set.of("v", "type", "runId", "system", "jobId", "attempt");
            case "TRANSFER" -> Set.of("v", "type", "runId", "jobRequestId", "attempt", "cursor", "worker");
            default -> Set.of("v", "type", "runId", "state", "reason");
        };
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add("unknown field " + name);
            }
        }
        StageMessage message = switch (wanted) {
            case "POLL" -> {
                JobSystem system = enumValue(node, "system", JobSystem.class, problems);
                String jobId = safe(node, "jobId", JOB_ID, problems);
                int attempt = attempt(node, problems);
                yield problems.isEmpty() ? new StageMessage.Poll(runId, system, jobId, attempt) : null;
            }
            case "TRANSFER" -> {
                String jobId = safe(node, "jobRequestId", JOB_ID, problems);
                int attempt = attempt(node, problems);
                JsonNode cursorNode = node.get("cursor");
                if (cursorNode != null && !cursorNode.isNull() && !cursorNode.isTextual()) {
                    problems.add("cursor must be a string");
                }
                String cursor = cursorNode != null && cursorNode.isTextual() ? cursorNode.asText() : null;
                JsonNode workerNode = node.get("worker");
                Integer worker = null;
                if (workerNode != null && !workerNode.isNull()) {
                    if (!workerNode.isIntegralNumber() || !workerNode.canConvertToInt() || workerNode.asInt() < 2
                            || workerNode.asInt() > StageMessage.MAX_WORKERS) {
                        problems.add("worker must be a whole number from 2 to " + StageMessage.MAX_WORKERS + ", got "
                                + StrictJson.shorten(workerNode.toString()));
                    } else {
                        worker = workerNode.asInt();
                    }
                }
                yield problems.isEmpty() ? new StageMessage.Transfer(runId, jobId, attempt, cursor, worker) : null;
            }
            default -> {
                RunState state = enumValue(node, "state", RunState.class, problems);
                JsonNode reason = node.get("reason");
                if (reason != null && !reason.isNull() && !reason.isTextual()) {
                    problems.add("reason must be a string");
                }
                yield problems.isEmpty() ? new StageMessage.Status(runId, state, reason != null && reason.isTextual() ? reason.asText() : null)
                        : null;
            }
        };
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The " + wanted + " message", problems);
        }
        return expected.cast(message);
    }

    private static String safe(JsonNode node, String field, Pattern allowed, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !allowed.matcher(value.asText()).matches() || value.asText().contains("..")) {
            problems.add(field + " must be a string of letters, digits and ._:- (no \"..\")");
            return null;
        }
        return value.asText();
    }

    private static int attempt(JsonNode node, List<String> problems) {
        JsonNode value = node.get("attempt");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1
                || value.asInt() > StageMessage.MAX_ATTEMPT) {
            problems.add("attempt must be a whole number from 1 to " + StageMessage.MAX_ATTEMPT + ", got "
                    + (value == null ? "(missing)" : StrictJson.shorten(value.toString())));
            return 0;
        }
        return value.asInt();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type, List<String> problems) {
        try {
            if (!node.path(field).isTextual()) {
                throw new IllegalArgumentException();
            }
            return Enum.valueOf(type, node.path(field).asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(field + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
            return null;
        }
    }
}
