package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.LocalStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fusion-extract runs} over a mixed ledger in the OCI emulator, read through the real SDK. */
class RunsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private LocalStack stack;
    private Path config;

    @BeforeEach
    void ledger() throws Exception {
        stack = new LocalStack(dir);
        config = stack.writeConfig();
        RunLedger ledger = stack.components(ConfigKey.Reader.CLI).ledger();
        Instant now = Instant.now();
        // a one-off that landed two files, an hour ago
        record(ledger, "once-1", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}", now.minus(Duration.ofHours(1)), r -> r
                .moveTo(RunState.SUBMITTED, "Fusion job 7", r.created()).moveTo(RunState.TRANSFERRING, "done", r.created())
                .withLandedFile(new RunRecord.LandedFile("a.zip", 10, "x", List.of(
                        new RunRecord.LandedObject("p/a.csv", 1000, "m", "m", "a.csv", "c", 3L),
                        new RunRecord.LandedObject("p/b.csv", 24, "m", "m", "b.csv", "c", 1L))), r.created())
                .withLandedFile(new RunRecord.LandedFile("b.zip", 10, "x", List.of(
                        new RunRecord.LandedObject("p/c.csv", 2048, "m", "m", "c.csv", "c", 9L))), r.created())
                .moveTo(RunState.LANDED, "3 objects from 2 files", r.created().plusSeconds(95)));
        // two occurrences of a schedule, one failed
        record(ledger, "nightly-2026-03-03", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"schedule\":\"nightly\"}",
                now.minus(Duration.ofDays(2)), r -> r.moveTo(RunState.FAILED, "Fusion job 5 ended ERROR", r.created().plusSeconds(30)));
        record(ledger, "nightly-2026-03-04", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"schedule\":\"nightly\"}",
                now.minus(Duration.ofDays(1)), r -> r.moveTo(RunState.SUBMITTED, "Fusion job 6", r.created()));
        // a rejected request of another extract, and a run ten days old
        record(ledger, "bad-1", "{\"extractName\":\"Invoices\",\"mode\":\"FULL\"}", now.minus(Duration.ofMinutes(5)),
                r -> r.moveTo(RunState.REJECTED, "mode must be FULL or INCREMENTAL", r.created()));
        record(ledger, "old-1", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}", now.minus(Duration.ofDays(10)),
                r -> r.moveTo(RunState.REJECTED, "old", r.created()));
        // a series with two occurrences so far
        record(ledger, "hourly", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"recurrence\":{}}", now.minus(Duration.ofHours(3)),
                r -> r.moveTo(RunState.SUBMITTED, "Fusion job 100", r.created()).moveTo(RunState.RECURRING, "a series", r.created())
                        .withSeries(new RunRecord.Series(null, List.of("hourly-101", "hourly-102")), r.created()));
        record(ledger, "hourly-101", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\"}", now.minus(Duration.ofMinutes(150)),
                r -> r.withSeries(new RunRecord.Series("hourly", List.of()), r.created()).moveTo(RunState.SUBMITTED, "job 101", r.created())
                        .moveTo(RunState.TRANSFERRING, "done", r.created()).moveTo(RunState.LANDED, "0 objects", r.created()));
        record(ledger, "hourly-102", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\"}", now.minus(Duration.ofMinutes(140)),
                r -> r.withSeries(new RunRecord.Series("hourly", List.of()), r.created()).moveTo(RunState.FAILED, "job 102 ended ERROR",
                        r.created()));
        // a record nobody can read
        stack.oci.objectStorage().put(LocalStack.CONTROL, "runs/broken-1.json", "{not json".getBytes(StandardCharsets.UTF_8));
        stack.oci.objectStorage().put(LocalStack.CONTROL, "runs/broken-1.json.corrupt", "x".getBytes(StandardCharsets.UTF_8));
    }

    private static void record(RunLedger ledger, String runId, String request, Instant created,
                               java.util.function.UnaryOperator<RunRecord> change) throws Exception {
        ledger.create(RunRecord.requested(runId, JSON.readTree(request), created));
        ledger.update(runId, change);
    }

    @AfterEach
    void close() {
        stack.close();
    }

    private String runs(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FusionExtract.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("runs", "--config", config.toString()));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(String[]::new));
        assertEquals(0, exit, out + err.toString());
        return out.toString();
    }

    private static List<String> ids(String table) {
        return table.lines().skip(1).filter(l -> !l.matches("\\d+ runs?")).map(l -> l.strip().split("\\s+")[0]).toList();
    }

    @Test
    void listsTheLastWeekNewestFirstWithWhatEachRunDid() {
        String table = runs();
        assertEquals(List.of("bad-1", "once-1", "hourly", "hourly-102", "hourly-101", "nightly-2026-03-04", "nightly-2026-03-03", "broken-1"),
                ids(table), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("hourly ") && l.contains("series (2)") && l.contains("RECURRING")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("  hourly-101") && l.contains("↳ hourly")), "an occurrence sits under its series");
        String once = table.lines().filter(l -> l.startsWith("once-1")).findFirst().orElseThrow();
        assertTrue(once.matches("once-1\\s+Suppliers\\s+FULL\\s+LANDED\\s+\\S+ \\S+\\s+1m35s\\s+2\\s+3\\s+3.0 KiB\\s+3 objects from 2 files"), once);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("nightly-2026-03-03") && l.contains("nightly") && l.contains("FAILED")
                && l.contains("Fusion job 5 ended ERROR")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("broken-1") && l.contains("UNREADABLE") && l.contains("not a readable run record")),
                "an unreadable record is shown, not skipped");
        assertTrue(table.contains("8 runs"), table);
    }

    @Test
    void filtersByAgeStateAndExtract() {
        assertTrue(ids(runs("--since", "all")).contains("old-1"));
        assertEquals(List.of("bad-1", "once-1", "hourly", "hourly-102", "hourly-101"), ids(runs("--since", "12h")).stream()
                .filter(id -> !id.startsWith("broken")).toList());
        assertEquals(List.of("bad-1"), ids(runs("--since", "30m")).stream().filter(id -> !id.startsWith("broken")).toList());
        assertEquals(List.of("hourly-102", "nightly-2026-03-03"), ids(runs("--state", "failed")));
        assertEquals(List.of("bad-1"), ids(runs("--extract", "Invoices")));
        assertEquals(List.of("once-1", "hourly-101"), ids(runs("--state", "LANDED", "--extract", "Suppliers")));
        assertTrue(runs("--state", "LOADED").contains("no runs"));
    }

    @Test
    void jsonGivesEveryFieldForScripts() throws Exception {
        JsonNode runs = JSON.readTree(runs("--json", "--state", "LANDED", "--extract", "Suppliers"));
        assertEquals(2, runs.size());
        assertEquals("hourly", runs.get(1).path("seriesOf").asText());
        JsonNode once = runs.get(0);
        assertEquals("once-1", once.path("runId").asText());
        assertEquals("Suppliers", once.path("extract").asText());
        assertEquals("FULL", once.path("mode").asText());
        assertEquals(95, once.path("durationSeconds").asLong());
        assertEquals(2, once.path("files").asInt());
        assertEquals(3, once.path("objects").asInt());
        assertEquals(3072, once.path("bytes").asLong());
        JsonNode scheduled = JSON.readTree(runs("--json", "--state", "SUBMITTED")).get(0);
        assertEquals("nightly", scheduled.path("schedule").asText());
        assertEquals(2, JSON.readTree(runs("--json", "--state", "RECURRING")).get(0).path("occurrences").asInt());
    }

    @Test
    void aBadFilterIsRefusedWithTheForms() {
        StringWriter err = new StringWriter();
        CommandLine cli = FusionExtract.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("runs", "--config", config.toString(), "--since", "a week"));
        assertTrue(err.toString().contains("--since must be a number and m, h or d"), err.toString());
        assertEquals(2, cli.execute("runs", "--config", config.toString(), "--state", "DONE"));
        assertTrue(err.toString().contains("--state must be one of"), err.toString());
    }
}
