package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.LocalStack;
import dev.fusionextract.pipeline.Components;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fusion-extract command line, run in-process over real sockets. */
class CommandLineTest {

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FusionExtract.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void theDemoLandsTheRunAndShowsWhatLanded() throws Exception {
        Result result = run("demo", "--size-mib", "6", "--work-dir", dir.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().contains("ended LANDED"), result.out());
        assertTrue(result.out().contains("erp/SupplierExtract/"), result.out());
        assertTrue(result.out().contains("manifest: landing/erp/SupplierExtract/"), result.out());
        for (String state : new String[]{"REQUESTED", "SUBMITTED", "RUNNING", "TRANSFERRING", "LANDED"}) {
            assertTrue(result.out().contains(state), state);
        }
        String log = Files.readString(dir.resolve("functions.log"));
        assertTrue(log.contains("\"run landed\""), "the functions logged their work");
        for (String function : new String[]{"submit-function", "poll-function", "transfer-function"}) {
            assertTrue(result.out().lines().anyMatch(l -> l.matches("  " + function + "\\s+\\d+ invocations?\\s+\\d+ MB\\s+[0-9.]+ s\\s+[0-9.]+ GB-s")),
                    "invocations and GB-seconds of " + function + ": " + result.out());
        }
        assertTrue(result.out().lines().anyMatch(l -> l.matches("  total\\s+\\d+ invocations\\s+[0-9.]+ GB-s")), result.out());
        // The stack's client secret is cs-<32 hex>, the simulator's tokens sim.<base64url>: neither may show anywhere.
        java.util.regex.Pattern credential = java.util.regex.Pattern.compile("cs-[0-9a-f]{32}|sim\\.[A-Za-z0-9_-]{20,}");
        assertFalse(credential.matcher(log).find(), "no credential in the functions' log");
        assertFalse(credential.matcher(result.out() + result.err()).find(), "no credential in the output");
    }

    @Test
    void theScheduleDemoLandsThreeOccurrencesAndRecognisesTheDoubledInvocation() {
        Result result = run("demo", "--schedule", "--size-mib", "4", "--work-dir", dir.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        assertEquals(3, result.out().lines().filter(l -> l.startsWith("  LANDED")).count(), result.out());
        assertTrue(result.out().contains(": duplicate, nothing submitted"), result.out());
        assertTrue(result.out().contains("3 occurrences, 4 invocations, 3 Fusion jobs submitted, 3 runs LANDED"), result.out());
        java.util.List<java.time.LocalDate> days = java.util.regex.Pattern.compile("→ run suppliers-nightly-(\\d{4}-\\d{2}-\\d{2})")
                .matcher(result.out()).results().map(m -> java.time.LocalDate.parse(m.group(1))).toList();
        assertEquals(3, days.size(), result.out());
        assertEquals(List.of(days.get(0), days.get(0).plusDays(1), days.get(0).plusDays(2)), days, "one run per nightly occurrence, named by its date");
    }

    @Test
    void benchRunsListsTheRecentLedgerAndSkipsTheOldOnTheListingAlone() {
        Result result = run("bench", "runs", "--records", "20", "--repeat", "1");
        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().lines().anyMatch(l -> l.matches("20\\s+all in the last week\\s+20\\s.*")), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.matches("20\\s+all older \\(listing only\\)\\s+0\\s.*")), result.out());
    }

    @Test
    void theDemoWithWorkersLandsEveryFileOnceAndShowsWhoLandedWhat() {
        Result result = run("demo", "--workers", "4", "--files", "6", "--size-mib", "6", "--work-dir", dir.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().contains("ended LANDED"), result.out());
        assertTrue(result.out().contains("transfer workers (TRANSFER_WORKERS=4)"), result.out());
        int landed = result.out().lines().filter(l -> l.matches("  worker \\d landed \\d+ files?: .*"))
                .mapToInt(l -> Integer.parseInt(l.replaceAll("  worker \\d landed (\\d+) files?: .*", "$1"))).sum();
        assertEquals(6 + 1, landed, "six generated chunks and the Info-ZIP archive, each landed once: " + result.out());
    }

    @Test
    void benchScaleLandsTheSameRunWithEachWorkerCount() {
        Result result = run("bench", "scale", "--workers", "1,3", "--chunks", "4", "--mib-per-chunk", "1", "--rate-kib", "0");
        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().lines().anyMatch(l -> l.matches("1\\s+\\S+\\s+1\\.00\\s+1\\s+1\\s+\\d+\\s+1\\s+\\d+ yes")), result.out());
        assertTrue(result.out().lines().anyMatch(l -> l.matches("3\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+3\\s+\\d+ yes")), result.out());
    }

    @Test
    void theDemoWithFaultsStillLands() {
        Result result = run("demo", "--size-mib", "6", "--faults", "--work-dir", dir.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().contains("faults:") && result.out().contains("ended LANDED"), result.out());
    }

    @Test
    void statusShowsARunsTimelineFromTheConfiguredBucket() throws Exception {
        try (LocalStack stack = new LocalStack(dir)) {
            Path config = stack.writeConfig();
            Components components = stack.components(ConfigKey.Reader.CLI);
            components.ledger().create(RunRecord.requested("nightly-7", new ObjectMapper().readTree("{}"), Instant.now()));
            components.ledger().update("nightly-7", r -> r.moveTo(RunState.REJECTED, "extractName is required", Instant.now()));
            Result result = run("status", "nightly-7", "--config", config.toString());
            assertEquals(0, result.exit(), result.err());
            assertTrue(result.out().contains("run nightly-7: REJECTED (extractName is required)"), result.out());
            assertTrue(result.out().contains("REQUESTED"), result.out());
            assertEquals(1, run("status", "nope", "--config", config.toString()).exit());
        }
    }

    @Test
    void emulateWritesAConfigurationForTheEmulatorsItRuns() throws Exception {
        EmulateCommand emulate = new EmulateCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(emulate);
        cli.setOut(new PrintWriter(out, true));
        Thread running = new Thread(() -> cli.execute("--work-dir", dir.toString()));
        running.start();
        Path config = dir.resolve("fusion-extract.conf");
        for (int i = 0; i < 200 && !out.toString().contains("running until interrupted"); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.readString(config).contains("CONTROL_BUCKET=control"));
        Result status = run("status", "none-yet", "--config", config.toString());
        assertEquals(1, status.exit(), "the configuration reaches the running emulator: " + status.out() + status.err());
        assertTrue(status.out().contains("no run none-yet"), status.out());
        emulate.stop.countDown();
        running.join(10_000);
    }

    @Test
    void runLandsAnExtractAgainstTheEmulatorsOfEmulate() throws Exception {
        EmulateCommand emulate = new EmulateCommand();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(emulate);
        cli.setOut(new PrintWriter(out, true));
        Thread running = new Thread(() -> cli.execute("--work-dir", dir.toString(), "--size-mib", "4"));
        running.start();
        for (int i = 0; i < 200 && !out.toString().contains("running until interrupted"); i++) {
            Thread.sleep(50);
        }
        // run hands over in the process: the POLL and TRANSFER topic keys are not needed.
        Path config = Files.writeString(dir.resolve("run.conf"), Files.readAllLines(dir.resolve("fusion-extract.conf")).stream()
                .filter(line -> !line.startsWith("POLL_TOPIC_") && !line.startsWith("TRANSFER_TOPIC_")).collect(java.util.stream.Collectors.joining("\n")));
        Result result = run("run", "--config", config.toString(), "--extract", LocalStack.SAMPLE_EXTRACT, "--run-id", "ws-1", "--json",
                "--log", dir.resolve("run.log").toString());
        emulate.stop.countDown();
        running.join(10_000);
        assertEquals(0, result.exit(), result.out() + result.err());
        com.fasterxml.jackson.databind.JsonNode summary = new ObjectMapper().readTree(result.out());
        assertEquals("ws-1", summary.path("runId").asText());
        assertEquals("LANDED", summary.path("state").asText());
        assertEquals(12, summary.path("objects").size(), "3 chunks x 3 tables, the extract's own .mf, and Info-ZIP's two files");
        java.util.List<String> names = new java.util.ArrayList<>();
        summary.path("objects").forEach(o -> names.add(o.path("name").asText()));
        assertTrue(names.stream().anyMatch(n -> n.endsWith("/export/sub/invoices.csv")), "the Info-ZIP archive landed: " + names);
    }

    @Test
    void sweepStartsARequestWhoseEventWasLostAndSaysWhatItDid() throws Exception {
        try (LocalStack stack = new LocalStack(dir)) {
            stack.seedSampleExtract(1, 1);
            Path config = stack.writeConfig();
            stack.oci.objectStorage().put(LocalStack.CONTROL, "requests/lost.json",
                    "{\"extractName\":\"SupplierExtract\",\"mode\":\"FULL\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Result result = run("sweep", "--config", config.toString(), "--grace-minutes", "0", "--log", dir.resolve("sweep.log").toString());
            assertEquals(0, result.exit(), result.out() + result.err());
            assertTrue(result.out().contains("requests looked at 1, started 1"), result.out());
            String run = stack.oci.objectStorage().objectNames(LocalStack.CONTROL).stream().filter(n -> n.startsWith("runs/")).findFirst()
                    .orElseThrow().replace("runs/", "").replace(".json", "");
            Result status = run("status", run, "--config", config.toString());
            assertTrue(status.out().contains("SUBMITTED"), status.out());
            Result again = run("sweep", "--config", config.toString(), "--grace-minutes", "0", "--log", dir.resolve("sweep.log").toString());
            assertTrue(again.out().contains("started 0"), "a request with a run is not started twice: " + again.out());
        }
    }

    @Test
    void statusWaitsWithABoundAndSaysWhyItStopped() throws Exception {
        try (LocalStack stack = new LocalStack(dir)) {
            Path config = stack.writeConfig();
            Components components = stack.components(ConfigKey.Reader.CLI);
            components.ledger().create(RunRecord.requested("slow-1", new ObjectMapper().readTree("{}"), Instant.now()));
            Result refused = run("status", "slow-1", "--config", config.toString(), "--wait-minutes", "-1");
            assertEquals(2, refused.exit(), refused.err());
            assertTrue(refused.err().contains("--wait-minutes must be 0 or more"), refused.err());
            Result bad = run("status", "nightly..1", "--config", config.toString());
            assertEquals(2, bad.exit());
            assertTrue(bad.err().contains("A run id must be 1 to 64"), bad.err());
        }
    }

    @Test
    void errorsAreOneLineWithTheFixAndNoStackTrace() {
        Result result = run("status", "x", "--config", dir.resolve("missing.conf").toString());
        assertEquals(2, result.exit());
        assertTrue(result.err().startsWith("fusion-extract: "), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
        assertTrue(run("--help").out().contains("demo"), "help lists the commands");
    }

    @Test
    void everyCommandTakesVerboseAndThenShowsTheStackTrace() {
        Result result = run("status", "x", "--verbose", "--config", dir.resolve("missing.conf").toString());
        assertEquals(2, result.exit());
        assertTrue(result.err().startsWith("fusion-extract: "), result.err());
        assertTrue(result.err().contains("\tat "), "the stack trace follows with --verbose: " + result.err());
        for (String command : new String[]{"demo", "run", "emulate", "status", "bench"}) {
            assertTrue(run(command, "--help").out().contains("--verbose"), command + " --help lists --verbose");
        }
    }
}
