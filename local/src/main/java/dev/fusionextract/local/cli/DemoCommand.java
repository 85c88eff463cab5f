package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.LocalStack;
import dev.fusionextract.local.ShiftedClock;
import dev.fusionextract.local.bus.LocalEventBus;
import dev.fusionextract.pipeline.Components;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** The whole chain on embedded emulators, driven the way OCI drives it, shown as it runs. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts the Fusion simulator and the OCI emulator on free loopback ports, drops a request object into the " +
                "control bucket, and lets submit-, poll- and transfer-function run as OCI Events and Notifications would drive " +
                "them. Shows each stage, the job status and the bytes landed, then the landed objects, the manifest and the " +
                "run's ledger timeline. Exits 0 only if the run LANDED.")
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

    @Option(names = "--size-mib", description = "Unzipped size of the generated extract, in MiB (default: ${DEFAULT-VALUE}).", defaultValue = "48")
    int sizeMib;

    @Option(names = "--files", description = "Number of ZIP chunks the job outputs (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int files;

    @Option(names = "--faults", description = "Inject 429/503 storms, a dropped download connection, a failing upload part, "
            + "and deliver every event and message twice: watch the chain recover.")
    boolean faults;

    @Option(names = "--workers", description = "TRANSFER_WORKERS: transfer invocations landing the files at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int workers;

    @Option(names = "--schedule", description = "Run a nightly schedule instead: three occurrences landing one after another (the "
            + "clock jumps from one to the next), the second invoked twice, as Resource Scheduler may.")
    boolean schedule;

    @Option(names = "--timeout-seconds", description = "Give up after this long (default: ${DEFAULT-VALUE}).", defaultValue = "120")
    int timeoutSeconds;

    @Option(names = "--work-dir", description = "Where the emulators' key, configuration and the functions' log go (default: a new temp folder).")
    Path workDir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant start = Instant.now();
        Path work = workDir != null ? workDir : Files.createTempDirectory("fusion-extract-demo");
        LocalEventBus.Options options = LocalEventBus.Options.ociLike();
        if (faults) {
            options = options.duplicating();
        }
        ShiftedClock clock = new ShiftedClock(Clock.systemUTC());
        if (workers < 1 || workers > dev.fusionextract.messages.StageMessage.MAX_WORKERS) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--workers must be from 1 to "
                    + dev.fusionextract.messages.StageMessage.MAX_WORKERS);
        }
        try (LocalStack stack = new LocalStack(work, clock); LocalEventBus bus = new LocalEventBus(options)) {
            stack.seedSampleExtract(sizeMib, files);
            stack.settings().put("TRANSFER_WORKERS", String.valueOf(workers));
            if (schedule) {
                bus.deadlinesOn(clock);
                stack.wire(bus);
                out.printf("Fusion simulator  %s%nOCI emulator      %s%nwork folder       %s%n%n", stack.fusion.baseUri(), stack.oci.endpoint(), work);
                boolean ok = new ScheduleDemo(stack, bus, clock, out, Duration.ofSeconds(timeoutSeconds)).run();
                out.printf("%nelapsed %.1f s; functions log: %s%n", seconds(start, Instant.now()), stack.work.resolve("functions.log"));
                return ok ? 0 : 1;
            }
            if (faults) {
                injectFaults(stack, out);
            }
            stack.wire(bus);
            bus.watch(d -> {
                if (d.status() != 200) {
                    out.printf("  %-28s attempt %d answered %d (%s): will be delivered again%n", d.route(), d.attempt(), d.status(),
                            why(d.reply()));
                    out.flush();
                }
            });
            Components viewer = stack.components(ConfigKey.Reader.CLI);
            out.printf("Fusion simulator  %s%nOCI emulator      %s%nwork folder       %s%n%n", stack.fusion.baseUri(), stack.oci.endpoint(), work);
            String request = "{\"extractName\":\"SupplierExtract\",\"mode\":\"FULL\",\"landingPrefix\":\"erp\"}";
            out.println("dropping requests/supplier-extract.json into bucket " + LocalStack.CONTROL + ": " + request);
            out.println();
            stack.oci.objectStorage().put(LocalStack.CONTROL, "requests/supplier-extract.json", request.getBytes(StandardCharsets.UTF_8));
            Optional<RunRecord> run = follow(stack, viewer, out, start, (long) sizeMib << 20);
            out.println();
            if (run.isEmpty()) {
                out.println("no run appeared in the ledger within " + timeoutSeconds + " s; see " + work.resolve("functions.log"));
                return 1;
            }
            summary(stack, run.get(), out, start);
            bus.awaitQuiet(Duration.ofSeconds(10));
            dev.fusionextract.local.FunctionCosts.print(out, dev.fusionextract.local.FunctionCosts.of(bus.deliveries()));
            return run.get().state() == RunState.LANDED ? 0 : 1;
        }
    }

    /** The error a function answered with, shortened for one line. */
    private static String why(String reply) {
        String error;
        try {
            error = new ObjectMapper().readTree(reply).path("error").asText(reply);
        } catch (java.io.IOException e) {
            error = reply;
        }
        return error.length() <= 60 ? error : error.substring(0, 57) + "...";
    }

    private void injectFaults(LocalStack stack, PrintWriter out) {
        stack.fusion.faults(Endpoint.STATUS).add(Fault.tooManyRequests(Duration.ofSeconds(1)), 2);
        stack.fusion.faults(Endpoint.SUBMIT).add(Fault.status(503));
        stack.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(200_000));
        stack.oci.faults().on(OciOperation.UPLOAD_PART, 3, OciFault.unavailable());
        stack.oci.faults().on(OciOperation.PUBLISH_MESSAGE, 2, OciFault.reset());
        out.println("faults: Fusion 503 on submit, 429 x2 on status, a dropped download; OCI 503 on an upload part, a reset publish;"
                + " every event and message delivered twice");
    }

    private Optional<RunRecord> follow(LocalStack stack, Components viewer, PrintWriter out, Instant start, long expected) throws Exception {
        RunLedger ledger = viewer.ledger();
        Instant end = start.plusSeconds(timeoutSeconds);
        Optional<RunRecord> run = Optional.empty();
        int shown = 0;
        long shownBytes = -1;
        while (Instant.now().isBefore(end)) {
            Optional<String> runId = stack.oci.objectStorage().objectNames(LocalStack.CONTROL).stream()
                    .filter(n -> n.startsWith("runs/")).map(n -> n.substring(5, n.length() - 5)).findFirst();
            if (runId.isPresent()) {
                run = ledger.read(runId.get()).map(RunLedger.Versioned::record);
            }
            if (run.isPresent()) {
                List<RunRecord.Transition> history = run.get().history();
                for (; shown < history.size(); shown++) {
                    RunRecord.Transition t = history.get(shown);
                    out.printf("  %6.1fs  %-12s %s%n", seconds(start, t.at()), t.state(), t.reason() == null ? "" : t.reason());
                }
                long landed = stack.oci.objectStorage().objectNames(LocalStack.LANDING).stream()
                        .mapToLong(n -> stack.oci.objectStorage().object(LocalStack.LANDING, n).map(o -> o.size()).orElse(0L)).sum();
                if (run.get().state() == RunState.TRANSFERRING && landed != shownBytes) {
                    shownBytes = landed;
                    int width = 30;
                    int filled = (int) Math.min(width, landed * width / Math.max(1, expected));
                    out.printf("  %6.1fs  [%s%s] %.1f / ~%.1f MiB landed%n", seconds(start, Instant.now()), "#".repeat(filled),
                            ".".repeat(width - filled), landed / 1048576.0, expected / 1048576.0);
                }
                out.flush();
                if (run.get().state().terminal()) {
                    return run;
                }
            }
            Thread.sleep(500);
        }
        return run;
    }

    private void summary(LocalStack stack, RunRecord run, PrintWriter out, Instant start) throws Exception {
        out.printf("run %s ended %s%s%n%n", run.runId(), run.state(), run.reason() == null ? "" : ": " + run.reason());
        Optional<String> manifest = stack.oci.objectStorage().objectNames(LocalStack.LANDING).stream()
                .filter(n -> n.endsWith("_manifest.json")).findFirst();
        if (manifest.isPresent()) {
            JsonNode m = JSON.readTree(stack.oci.objectStorage().object(LocalStack.LANDING, manifest.get()).orElseThrow().content());
            out.printf("%-64s %12s  %s%n", "landed object", "bytes", "MD5 (base64)");
            for (JsonNode o : m.path("objects")) {
                out.printf("%-64s %12d  %s%n", o.path("name").asText(), o.path("size").asLong(), o.path("md5").asText());
            }
            out.printf("%nmanifest: %s/%s (%d objects, %.1f MiB)%n", LocalStack.LANDING, manifest.get(), m.path("totalObjects").asInt(),
                    m.path("totalBytes").asLong() / 1048576.0);
        }
        workers(stack, out);
        out.println("\nledger timeline (runs/" + run.runId() + ".json):");
        for (RunRecord.Transition t : run.history()) {
            out.printf("  %-12s %s%n", t.state(), t.at());
        }
        out.printf("%nelapsed %.1f s; functions log: %s%n", seconds(start, Instant.now()), stack.work.resolve("functions.log"));
    }

    /** With TRANSFER_WORKERS above 1: which worker landed which files (from the functions' log). */
    private void workers(LocalStack stack, PrintWriter out) throws java.io.IOException {
        if (workers == 1) {
            return;
        }
        java.util.Map<Integer, List<String>> byWorker = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(stack.work.resolve("functions.log"))) {
            JsonNode entry = JSON.readTree(line);
            if (entry.path("msg").asText().equals("file landed") && entry.has("worker")) {
                String file = entry.path("file").asText();
                // The chunk number is enough to tell the generated files apart: ..._44046_3.zip is chunk 3.
                String shown = file.matches(".*_\\d+_\\d+\\.zip") ? "chunk " + file.replaceAll(".*_(\\d+)\\.zip", "$1") : file;
                byWorker.computeIfAbsent(entry.path("worker").asInt(), w -> new java.util.ArrayList<>()).add(shown);
            }
        }
        out.printf("%ntransfer workers (TRANSFER_WORKERS=%d): each took the next file nobody held%n", workers);
        byWorker.forEach((worker, landed) -> out.printf("  worker %d landed %d file%s: %s%n", worker, landed.size(), landed.size() == 1 ? "" : "s",
                String.join(", ", landed)));
    }

    private static double seconds(Instant start, Instant at) {
        return Duration.between(start, at).toMillis() / 1000.0;
    }
}
