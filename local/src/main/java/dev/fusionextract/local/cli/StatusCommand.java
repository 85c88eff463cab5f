package dev.fusionextract.local.cli;

import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.oci.OciSettings;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryPolicy;
import dev.fusionextract.retry.Sleeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** A run's ledger timeline, from the control bucket the configuration names. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows a run's state, reason and timeline from its ledger record (runs/<RUN_ID>.json in CONTROL_BUCKET).")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_ID", description = "The run, e.g. evt-3f2a… or the runId given in a request.")
    String runId;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "KEY=VALUE configuration (the README's keys): CONTROL_BUCKET and how to reach OCI (OCI_AUTH=config_file, ...).")
    Path config;

    @Option(names = "--wait-minutes", description = "Wait up to this long for the run to end, reading its record every few "
            + "seconds (default: ${DEFAULT-VALUE}, no wait).", defaultValue = "0")
    int waitMinutes;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        OciSettings settings = OciSettings.load(source(config));
        try (OciClients clients = new OciClients(settings, OciClients.authentication(settings, System.getenv()), Duration.ofSeconds(30))) {
            RunLedger ledger = new RunLedger(clients.objectStorage(), new OciCalls(new Retrier(RetryPolicy.defaults(), Clock.systemUTC(),
                    Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble(), JsonLog.discard())), clients.namespace(),
                    settings.controlBucket(), Clock.systemUTC(), Sleeper.system(), () -> 0.5, JsonLog.discard());
            if (waitMinutes < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--wait-minutes must be 0 or more");
            }
            java.time.Instant end = java.time.Instant.now().plus(Duration.ofMinutes(waitMinutes));
            RunRecord run = ledger.read(runId).map(RunLedger.Versioned::record).orElse(null);
            while (waitMinutes > 0 && (run == null || !run.state().terminal()) && java.time.Instant.now().isBefore(end)) {
                Thread.sleep(2000);
                run = ledger.read(runId).map(RunLedger.Versioned::record).orElse(null);
            }
            if (run == null) {
                out.println("no run " + runId + " in " + settings.controlBucket() + "/runs/"
                        + (waitMinutes > 0 ? " after waiting " + waitMinutes + " minutes" : ""));
                return 1;
            }
            if (waitMinutes > 0 && !run.state().terminal()) {
                out.println("stopped waiting after " + waitMinutes + " minutes (--wait-minutes): the run has not ended");
            }
            out.printf("run %s: %s%s%n", run.runId(), run.state(), run.reason() == null ? "" : " (" + run.reason() + ")");
            if (run.jobRequestId() != null) {
                out.println("Fusion job " + run.jobRequestId());
            }
            if (run.series() != null && run.series().parentRunId() != null) {
                out.println("an occurrence of series " + run.series().parentRunId());
            } else if (run.series() != null) {
                out.println("a series: " + run.series().children().size() + " occurrence(s) so far"
                        + (run.series().children().isEmpty() ? "" : ": " + String.join(", ", run.series().children())));
            }
            for (RunRecord.Transition t : run.history()) {
                out.printf("  %s  %-12s %s%n", t.at(), t.state(), t.reason() == null ? "" : t.reason());
            }
            if (run.lastError() != null && !run.state().terminal()) {
                out.println("last error: " + run.lastError());
            }
            if (!run.files().isEmpty()) {
                out.printf("%d files landed, %d objects%n", run.files().size(), run.landedObjects());
            }
            return 0;
        }
    }

    /** The file's keys, then the environment for what it leaves out. */
    static ConfigSource source(Path file) throws IOException {
        return ConfigSource.of(values(file)).orElse(ConfigSource.environment());
    }

    /** The keys and values a KEY=VALUE (properties) file holds. */
    static Map<String, String> values(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> values = new HashMap<>();
        properties.forEach((k, v) -> values.put(String.valueOf(k), String.valueOf(v)));
        return values;
    }
}
