package dev.fusionextract.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.config.ConfigReader;
import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.fusion.ExtractJob;
import dev.fusionextract.fusion.ExtractMode;
import dev.fusionextract.fusion.Recurrence;
import dev.fusionextract.json.StrictJson;
import dev.fusionextract.ledger.RunId;
import dev.fusionextract.ledger.RunIdTemplate;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a user asks for, as JSON (a request object dropped in the control bucket, or the body of
 * {@code fn invoke}):
 * <pre>{"extractName":"Suppliers","mode":"FULL","landingPrefix":"erp/suppliers","runId":"optional","schedule":"optional",
 *  "recurrence":{"interval":1,"timeUnit":"DAY","startDate":"2026-01-01","endDate":"2026-12-31","startTime":"0200","endTime":"0400"}}</pre>
 * Dates are ISO ({@code yyyy-MM-dd}) here, whatever form Fusion is sent. {@code runId} may be a {@link RunIdTemplate}
 * (a schedule's, filled from the arrival time); {@code schedule} names the schedule that sent the request, for the
 * listing of runs. Every problem is reported at once.
 */
public record ExtractRequest(String extractName, ExtractMode mode, Optional<Recurrence> recurrence, Optional<String> landingPrefix,
                             Optional<String> runId, Optional<String> schedule) {

    public static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = StrictJson.strict();
    private static final Set<String> FIELDS = Set.of("extractName", "mode", "recurrence", "landingPrefix", "runId", "schedule");
    private static final Set<String> RECURRENCE_FIELDS = Set.of("interval", "timeUnit", "startDate", "endDate", "startTime", "endTime");

    /** A schedule name leaves room for its default run id, {@code <schedule>-{date}}, within a run id's length. */
    public static final int MAX_SCHEDULE_NAME = RunId.MAX_LENGTH - "-2026-12-31".length();

    /**
     * The run id a direct request asks for, filled for the time it arrived: its {@code runId} (a template is
     * filled), or for a request that names only its {@code schedule}, {@code <schedule>-{date}}: one run per UTC
     * day. Empty when the request asks for none, or for one that is not valid (the request is then rejected).
     */
    public static Optional<String> runIdFor(JsonNode json, Instant arrived) {
        String given = json != null && json.path("runId").isTextual() ? json.path("runId").asText().trim() : "";
        String schedule = json != null && json.path("schedule").isTextual() ? json.path("schedule").asText().trim() : "";
        if (given.isEmpty() && !schedule.isEmpty() && RunId.valid(schedule) && schedule.length() <= MAX_SCHEDULE_NAME) {
            given = schedule + "-{date}";
        }
        if (RunIdTemplate.isTemplate(given)) {
            given = RunIdTemplate.problem("runId", given).isEmpty() ? RunIdTemplate.fill(given, arrived) : "";
        }
        return RunId.valid(given) ? Optional.of(given) : Optional.empty();
    }

    public static ExtractRequest parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidRequestException("The request", List.of("it is " + bytes.length + " bytes; a request is at most " + MAX_BYTES));
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidRequestException("The request", List.of("it is not valid JSON (" + StrictJson.problem(e)
                    + "); send {\"extractName\":\"...\",\"mode\":\"FULL\"}"));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request", List.of("it must be a JSON object like {\"extractName\":\"...\",\"mode\":\"FULL\"}"));
        }
        return parse(root);
    }

    public static ExtractRequest parse(JsonNode root) {
        List<String> problems = new ArrayList<>();
        unknown(root, FIELDS, "", problems);
        String extractName = "";
        if (!present(root, "extractName")) {
            problems.add("extractName is required: the name of the extract definition in Fusion");
        } else if (!root.get("extractName").isTextual()) {
            problems.add("extractName must be a string, got " + kind(root.get("extractName")));
        } else if (root.get("extractName").asText().isBlank()) {
            problems.add("extractName is required: the name of the extract definition in Fusion");
        } else {
            extractName = root.get("extractName").asText().trim();
        }
        ExtractMode mode = null;
        if (present(root, "mode") && !root.get("mode").isTextual()) {
            problems.add("mode must be the string FULL or INCREMENTAL, got " + kind(root.get("mode")));
        } else {
            String modeText = root.path("mode").asText("");
            try {
                mode = ExtractMode.valueOf(modeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("mode must be FULL or INCREMENTAL" + (modeText.isEmpty() ? "" : ", got \"" + shorten(modeText) + "\""));
            }
        }
        Optional<String> prefix = optionalText(root, "landingPrefix", problems);
        if (prefix.isPresent() && !ConfigReader.isFolders(prefix.get())) {
            problems.add("landingPrefix must be folders of letters, digits, '.', '_' or '-' separated by '/', without '..' "
                    + "(e.g. erp/suppliers)");
        }
        Optional<String> runId = optionalText(root, "runId", problems);
        if (runId.isPresent() && RunIdTemplate.isTemplate(runId.get())) {
            RunIdTemplate.problem("runId", runId.get()).ifPresent(p -> problems.add(p + ", got \"" + shorten(runId.get()) + "\""));
        } else if (runId.isPresent() && !RunId.valid(runId.get())) {
            problems.add("runId must be " + RunId.RULE + ", got \"" + shorten(runId.get()) + "\"");
        }
        Optional<String> schedule = optionalText(root, "schedule", problems);
        if (schedule.isPresent() && (!RunId.valid(schedule.get()) || schedule.get().length() > MAX_SCHEDULE_NAME)) {
            problems.add("schedule must be a name of " + RunId.RULE.replace(String.valueOf(RunId.MAX_LENGTH), String.valueOf(MAX_SCHEDULE_NAME))
                    + ", got \"" + shorten(schedule.get()) + "\"");
        }
        Optional<Recurrence> recurrence = Optional.empty();
        JsonNode r = root.get("recurrence");
        if (r != null && !r.isNull()) {
            recurrence = recurrence(r, problems);
        }
        ExtractRequest request = null;
        if (problems.isEmpty()) {
            try {
                ExtractJob.immediate(extractName, mode); // the job's own checks on the name
            } catch (InvalidRequestException e) {
                problems.addAll(e.problems());
            }
            request = new ExtractRequest(extractName, mode, recurrence, prefix, runId, schedule);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The request", problems);
        }
        return request;
    }

    private static Optional<Recurrence> recurrence(JsonNode r, List<String> problems) {
        if (!r.isObject()) {
            problems.add("recurrence must be an object with interval, timeUnit, startDate, endDate and optional startTime, endTime");
            return Optional.empty();
        }
        unknown(r, RECURRENCE_FIELDS, "recurrence.", problems);
        int before = problems.size();
        int interval = 0;
        JsonNode intervalNode = r.get("interval");
        if (intervalNode == null || intervalNode.isNull()) {
            problems.add("recurrence.interval is required: every how many time units the job runs (1 to " + Recurrence.MAX_INTERVAL + ")");
        } else {
            if (!intervalNode.isIntegralNumber()) {
                problems.add("recurrence.interval must be a whole number, got " + kind(intervalNode));
            } else if (!intervalNode.canConvertToInt() || intervalNode.asInt() < 1 || intervalNode.asInt() > Recurrence.MAX_INTERVAL) {
                problems.add("recurrence.interval must be from 1 to " + Recurrence.MAX_INTERVAL + ", got " + shorten(intervalNode.asText()));
            } else {
                interval = intervalNode.asInt();
            }
        }
        for (String field : List.of("timeUnit", "startDate", "endDate", "startTime", "endTime")) {
            if (present(r, field) && !r.get(field).isTextual()) {
                problems.add("recurrence." + field + " must be a string, got " + kind(r.get(field)));
            }
        }
        Recurrence.Unit unit = null;
        try {
            unit = Recurrence.Unit.valueOf(r.path("timeUnit").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // reported by Recurrence.of
        }
        LocalDate start = date(r, "startDate", problems);
        LocalDate end = date(r, "endDate", problems);
        String startTime = r.hasNonNull("startTime") && r.get("startTime").isTextual() ? r.get("startTime").asText() : null;
        String endTime = r.hasNonNull("endTime") && r.get("endTime").isTextual() ? r.get("endTime").asText() : null;
        try {
            Recurrence recurrence = Recurrence.of(interval, unit, start, end, startTime, endTime);
            return problems.size() == before ? Optional.of(recurrence) : Optional.empty();
        } catch (InvalidRequestException e) {
            e.problems().stream().filter(p -> !(p.startsWith("startDate is required") && r.has("startDate"))
                            && !(p.startsWith("endDate is required") && r.has("endDate")) && !p.startsWith("interval must be")
                            && !(p.startsWith("timeUnit") && present(r, "timeUnit") && !r.get("timeUnit").isTextual())
                            && !(p.startsWith("startTime") && present(r, "startTime") && !r.get("startTime").isTextual())
                            && !(p.startsWith("endTime") && present(r, "endTime") && !r.get("endTime").isTextual()))
                    .map(p -> "recurrence." + p).forEach(problems::add);
            return Optional.empty();
        }
    }

    private static LocalDate date(JsonNode r, String field, List<String> problems) {
        if (!r.hasNonNull(field) || !r.get(field).isTextual()) {
            return null;
        }
        try {
            return LocalDate.parse(r.get(field).asText());
        } catch (DateTimeParseException e) {
            problems.add("recurrence." + field + " must be a date like 2026-01-31, got \"" + shorten(r.get(field).asText()) + "\"");
            return null;
        }
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add("unknown field " + prefix + name + " (the fields are " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static Optional<String> optionalText(JsonNode root, String field, List<String> problems) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            problems.add(field + " must be a string, got " + kind(value));
            return Optional.empty();
        }
        return value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText().trim());
    }

    private static boolean present(JsonNode node, String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** What a JSON value is, for a message: "a number (123)", "an object", ... */
    private static String kind(JsonNode value) {
        if (value.isNumber()) {
            return "a number (" + shorten(value.asText()) + ")";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value.asText() + ")";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isTextual() ? "a string" : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** The job to submit; the run id becomes its label, so the run can be found in Fusion's scheduler. */
    public ExtractJob job(String label) {
        return new ExtractJob(extractName, mode, recurrence, label);
    }

    /** The request as the ledger keeps it (dates in ISO form). */
    public JsonNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("extractName", extractName);
        node.put("mode", mode.name());
        landingPrefix.ifPresent(p -> node.put("landingPrefix", p));
        runId.ifPresent(id -> node.put("runId", id));
        schedule.ifPresent(name -> node.put("schedule", name));
        recurrence.ifPresent(r -> {
            ObjectNode rec = node.putObject("recurrence");
            rec.put("interval", r.interval());
            rec.put("timeUnit", r.unit().name());
            rec.put("startDate", r.startDate().toString());
            rec.put("endDate", r.endDate().toString());
            rec.put("startTime", r.startTime());
            rec.put("endTime", r.endTime());
        });
        return node;
    }
}
