package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.runs.RunListing;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.oci.OciSettings;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryPolicy;
import dev.fusionextract.retry.Sleeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runs of the ledger, newest first, one line each. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Lists the runs in the ledger (runs/ in CONTROL_BUCKET), newest "
        + "first, one line each: run id, extract, mode, schedule or series, state, started, duration, files, objects, bytes, reason; "
        + "the occurrences of a series are listed under it.")
public final class RunsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SINCE = Pattern.compile("(\\d{1,5})([mhd])");
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(java.time.ZoneOffset.UTC);

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "KEY=VALUE configuration: CONTROL_BUCKET and how to reach OCI (OCI_AUTH=config_file, ...).")
    Path config;

    @Option(names = "--since", paramLabel = "AGE", description = "Runs started within this long: 90m, 12h, 7d (default: ${DEFAULT-VALUE}; "
            + "all for every run).", defaultValue = "7d")
    String since;

    @Option(names = "--state", description = "Only runs in this state (REQUESTED, SUBMITTED, RUNNING, TRANSFERRING, LANDED, LOADING, "
            + "LOADED, FAILED, TIMED_OUT, REJECTED).")
    String state;

    @Option(names = "--extract", paramLabel = "NAME", description = "Only runs of this extract definition.")
    String extract;

    @Option(names = "--json", description = "Print the runs as a JSON array, for scripts.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunListing.Filter filter = new RunListing.Filter(since(), state(), Optional.ofNullable(extract).filter(e -> !e.isBlank()));
        PrintWriter out = spec.commandLine().getOut();
        OciSettings settings = OciSettings.load(StatusCommand.source(config));
        Clock clock = Clock.systemUTC();
        try (OciClients clients = new OciClients(settings, OciClients.authentication(settings, System.getenv()), Duration.ofSeconds(30))) {
            OciCalls calls = new OciCalls(new Retrier(RetryPolicy.defaults(), clock, Sleeper.system(),
                    () -> ThreadLocalRandom.current().nextDouble(), JsonLog.discard()));
            RunLedger ledger = new RunLedger(clients.objectStorage(), calls, clients.namespace(), settings.controlBucket(), clock,
                    Sleeper.system(), () -> 0.5, JsonLog.discard());
            List<RunListing.Row> rows = new RunListing(clients.objectStorage(), calls, clients.namespace(), settings.controlBucket(), ledger,
                    clock).list(filter);
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(rows, clock.instant())));
            } else {
                print(out, rows, clock.instant());
            }
            return 0;
        }
    }

    private Optional<Duration> since() {
        if (since.equalsIgnoreCase("all")) {
            return Optional.empty();
        }
        Matcher m = SINCE.matcher(since.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--since must be a number and m, h or d (90m, 12h, 7d), "
                    + "or all; got " + since);
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    private Optional<RunState> state() {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunState.valueOf(state.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--state must be one of "
                    + java.util.Arrays.toString(RunState.values()) + ", got " + state);
        }
    }

    static void print(PrintWriter out, List<RunListing.Row> rows, Instant now) {
        if (rows.isEmpty()) {
            out.println("no runs");
            return;
        }
        String format = "%-36s %-20s %-11s %-20s %-12s %-17s %9s %5s %7s %10s  %s%n";
        out.printf(format, "RUN", "EXTRACT", "MODE", "SCHEDULE/SERIES", "STATE", "STARTED", "DURATION", "FILES", "OBJECTS", "BYTES", "REASON");
        for (RunListing.Row row : rows) {
            out.printf(format, (row.parent().isPresent() ? "  " : "") + row.runId(), cut(row.extract(), 20), row.mode(), cut(row.origin(), 20), row.state(),
                    row.record().isPresent() ? STARTED.format(row.started()) : "", duration(row.duration(now)), row.files(), row.objects(),
                    bytes(row.bytes()), cut(row.reason(), 80));
        }
        out.printf("%d run%s%n", rows.size(), rows.size() == 1 ? "" : "s");
    }

    static ArrayNode toJson(List<RunListing.Row> rows, Instant now) {
        ArrayNode array = JSON.createArrayNode();
        for (RunListing.Row row : rows) {
            ObjectNode node = array.addObject();
            node.put("runId", row.runId()).put("extract", row.extract()).put("mode", row.mode()).put("schedule", row.schedule())
                    .put("seriesOf", row.parent().orElse(null)).put("occurrences", row.occurrences())
                    .put("state", row.state()).put("started", row.record().isPresent() ? row.started().toString() : null)
                    .put("durationSeconds", row.duration(now).toSeconds()).put("files", row.files()).put("objects", row.objects())
                    .put("bytes", row.bytes()).put("reason", row.reason());
        }
        return array;
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String duration(Duration d) {
        long s = d.truncatedTo(ChronoUnit.SECONDS).toSeconds();
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }

    private static String bytes(long n) {
        return n < 1024 ? n + " B" : n < 1 << 20 ? String.format("%.1f KiB", n / 1024.0) : n < 1L << 30
                ? String.format("%.1f MiB", n / 1048576.0) : String.format("%.2f GiB", n / 1073741824.0);
    }
}
