package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.local.bus.LocalEventBus;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.messages.StageMessages;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.transfer.function.TransferFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The chain in this process against the endpoints a configuration file names: real Fusion, IDCS and OCI (with an
 * OCI config profile), or the emulators of {@code fusion-extract emulate}. The same handlers run as in Functions;
 * only the hand-over messages stay in the process instead of going through OCI Notifications.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs one extract through submit, poll and transfer in this process, against the endpoints in --config (the " +
        "functions' keys plus OCI_AUTH=config_file, OCI_CONFIG_FILE, OCI_CONFIG_PROFILE and OCI_*_ENDPOINT). The topics " +
        "are not used: the stages hand over in the process. Exits 0 only when the run LANDED.")
public final class RunCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The stages hand over in this process, so the POLL and TRANSFER topics are never published to: their keys are
     * not asked for, and stand-ins fill them when the file leaves them out.
     */
    static final ConfigSource IN_PROCESS_TOPICS = ConfigSource.of(Map.of(
            "POLL_TOPIC_OCID", "ocid1.onstopic.oc1..in-process-poll", "POLL_TOPIC_ENDPOINT", "http://127.0.0.1:9",
            "TRANSFER_TOPIC_OCID", "ocid1.onstopic.oc1..in-process-transfer", "TRANSFER_TOPIC_ENDPOINT", "http://127.0.0.1:9"));

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "KEY=VALUE configuration file.")
    Path config;

    @Option(names = "--extract", required = true, description = "Name of the extract definition in Fusion.")
    String extract;

    @Option(names = "--mode", description = "FULL or INCREMENTAL (default: ${DEFAULT-VALUE}).", defaultValue = "FULL")
    String mode;

    @Option(names = "--run-id", description = "The run's id (default: a new one). Running the same id again finds the run.")
    String runId;

    @Option(names = "--timeout-minutes", description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).", defaultValue = "720")
    int timeoutMinutes;

    @Option(names = "--json", description = "Print the summary as JSON, for scripts.")
    boolean json;

    @Option(names = "--log", paramLabel = "FILE", description = "Where the functions' JSON log goes (default: run.log in the current folder).",
            defaultValue = "run.log")
    Path logFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (timeoutMinutes < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout-minutes must be 1 or more");
        }
        ConfigSource source = StatusCommand.source(config).orElse(IN_PROCESS_TOPICS);
        String id = runId != null ? runId : "run-" + UUID.randomUUID();
        List<String> events = new ArrayList<>();
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
             LocalEventBus bus = new LocalEventBus(LocalEventBus.Options.ociLike())) {
            JsonLog jsonLog = new JsonLog(log, new Redactor(), Clock.systemUTC(), JsonLog.Level.INFO);
            Components submitting = components(source, ConfigKey.Reader.SUBMIT, jsonLog);
            Components polling = components(source, ConfigKey.Reader.POLL, jsonLog);
            Components transferring = components(source, ConfigKey.Reader.TRANSFER, jsonLog);
            PollFunction poll = PollFunction.with(polling);
            TransferFunction transfer = TransferFunction.with(transferring);
            Components.Publisher inProcess = (topic, message) -> {
                String body = StageMessages.toJson(message);
                events.add(body);
                if (message instanceof StageMessage.Poll) {
                    bus.publish("POLL", body, Map.of(), poll::handleRequest);
                } else if (message instanceof StageMessage.Transfer) {
                    bus.publish("TRANSFER", body, Map.of(), transfer::handleRequest);
                }
                return "local-" + UUID.randomUUID();
            };
            for (Components c : List.of(submitting, polling, transferring)) {
                c.publishingTo(inProcess);
            }
            String request = JSON.createObjectNode().put("extractName", extract).put("mode", mode).put("runId", id).toString();
            bus.publish("submit", request, Map.of(), SubmitFunction.with(submitting)::handleRequest);
            Waited waited = await(() -> submitting.ledger().read(id).map(RunLedger.Versioned::record), Duration.ofMinutes(timeoutMinutes),
                    bus::quiet, Clock.systemUTC(), Sleeper.system());
            report(out, waited);
            if (!json) {
                bus.awaitQuiet(Duration.ofSeconds(10));
                dev.fusionextract.local.FunctionCosts.print(out, dev.fusionextract.local.FunctionCosts.of(bus.deliveries()));
            }
            return waited.run() != null && waited.run().state() == dev.fusionextract.ledger.RunState.LANDED ? 0 : 1;
        }
    }

    /** What waiting found: the run as last read, and why the wait stopped when the run had not ended. */
    record Waited(RunRecord run, String stoppedBecause) {
    }

    private Components components(ConfigSource source, ConfigKey.Reader reader, JsonLog log) {
        Configuration configuration = Configuration.load(source, reader);
        return new Components(configuration, OciClients.authentication(configuration.oci(), System.getenv()), Clock.systemUTC(),
                Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble(), log);
    }

    /**
     * Waits until the run ends, but never past {@code timeout}, and not while nothing works on it any more: when
     * the in-process chain has been quiet for five checks in a row and the run has not ended, no stage will move it.
     */
    static Waited await(java.util.function.Supplier<Optional<RunRecord>> read, Duration timeout, java.util.function.BooleanSupplier quiet,
                        Clock clock, Sleeper sleeper) throws InterruptedException {
        Instant end = clock.instant().plus(timeout);
        RunRecord run = null;
        int quietChecks = 0;
        while (clock.instant().isBefore(end)) {
            Optional<RunRecord> found = read.get();
            if (found.isPresent()) {
                run = found.get();
                if (run.state().terminal()) {
                    return new Waited(run, null);
                }
            }
            quietChecks = quiet.getAsBoolean() ? quietChecks + 1 : 0;
            if (quietChecks >= 5) {
                return new Waited(run, "no stage is working on the run any more" + (run != null && run.lastError() != null
                        ? " (last error: " + run.lastError() + ")" : "") + "; it needs a sweep (fusion-extract sweep) or a new request");
            }
            sleeper.sleep(Duration.ofSeconds(1));
        }
        return new Waited(run, "it did not end within --timeout-minutes " + timeout.toMinutes());
    }

    private void report(PrintWriter out, Waited waited) throws Exception {
        RunRecord run = waited.run();
        if (json) {
            ObjectNode summary = JSON.createObjectNode();
            summary.put("runId", run == null ? null : run.runId());
            summary.put("state", run == null ? "UNKNOWN" : run.state().name());
            if (run != null) {
                summary.put("reason", run.reason());
                summary.put("jobRequestId", run.jobRequestId());
                if (waited.stoppedBecause() != null) {
                    summary.put("stoppedWaiting", waited.stoppedBecause());
                }
                ArrayNode objects = summary.putArray("objects");
                run.files().values().forEach(f -> f.objects().forEach(o -> objects.addObject()
                        .put("name", o.name()).put("size", o.size()).put("md5", o.md5())));
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
            return;
        }
        if (run == null) {
            out.println("the run did not appear in the ledger (" + waited.stoppedBecause() + "); see " + logFile);
            return;
        }
        if (waited.stoppedBecause() != null) {
            out.printf("stopped waiting for run %s, which is still %s: %s%n", run.runId(), run.state(), waited.stoppedBecause());
        } else {
            out.printf("run %s ended %s%s%n", run.runId(), run.state(), run.reason() == null ? "" : ": " + run.reason());
        }
        run.history().forEach(t -> out.printf("  %-12s %s  %s%n", t.state(), t.at(), t.reason() == null ? "" : t.reason()));
        run.files().values().forEach(f -> f.objects().forEach(o -> out.printf("  %-60s %12d  %s%n", o.name(), o.size(), o.md5())));
    }
}
