package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.LocalStack;
import dev.fusionextract.local.runs.RunListing;
import dev.fusionextract.pipeline.Components;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How long {@code fusion-extract runs} takes over a large ledger: {@code records} run records in the OCI emulator's
 * control bucket, read back through the real SDK. Two cases: the last week of a ledger whose records are all recent
 * (every record read), and the last week of one whose records are all older (skipped on the listing alone).
 */
public final class RunsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private RunsBenchmark() {
    }

    public static void run(List<Integer> sizes, int repeat, PrintWriter out) throws Exception {
        out.printf("%-9s %-26s %9s %10s %12s%n", "records", "case", "listed", "seconds", "records/s");
        for (int records : sizes) {
            for (boolean recent : List.of(true, false)) {
                Path work = Files.createTempDirectory("fusion-extract-bench-runs");
                try (LocalStack stack = new LocalStack(work)) {
                    seed(stack, records, recent);
                    Components components = stack.components(ConfigKey.Reader.CLI);
                    RunListing listing = new RunListing(components.oci().objectStorage(), components.calls(), components.oci().namespace(),
                            LocalStack.CONTROL, components.ledger(), Clock.systemUTC());
                    RunListing.Filter lastWeek = new RunListing.Filter(Optional.of(Duration.ofDays(7)), Optional.empty(), Optional.empty());
                    List<Double> seconds = new ArrayList<>();
                    int listed = 0;
                    for (int i = 0; i < repeat; i++) {
                        long start = System.nanoTime();
                        listed = listing.list(lastWeek).size();
                        seconds.add((System.nanoTime() - start) / 1e9);
                    }
                    Collections.sort(seconds);
                    double median = seconds.get(seconds.size() / 2);
                    out.printf("%-9d %-26s %9d %10.2f %12.0f%n", records, recent ? "all in the last week" : "all older (listing only)",
                            listed, median, records / median);
                    out.flush();
                }
            }
        }
    }

    /** Ledger records as the functions write them, landed runs with two files; a tenth failed. */
    private static void seed(LocalStack stack, int records, boolean recent) throws Exception {
        Instant base = recent ? Instant.now().minus(Duration.ofDays(3)) : Instant.now().minus(Duration.ofDays(40));
        stack.oci.objectStorage().stampWith(Clock.fixed(base, ZoneOffset.UTC));
        for (int i = 0; i < records; i++) {
            Instant created = base.plusSeconds(i);
            RunRecord run = RunRecord.requested("bench-" + i, JSON.readTree("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"), created)
                    .moveTo(RunState.SUBMITTED, "Fusion job " + (40000 + i), created);
            if (i % 10 == 9) {
                run = run.moveTo(RunState.FAILED, "Fusion job ended ERROR", created.plusSeconds(60));
            } else {
                run = run.moveTo(RunState.TRANSFERRING, "done", created.plusSeconds(60))
                        .withLandedFile(new RunRecord.LandedFile("a.zip", 100, "x", List.of(
                                new RunRecord.LandedObject("p/a.csv", 1000, "m", "m", "a.csv", "c", 10L))), created.plusSeconds(70))
                        .withLandedFile(new RunRecord.LandedFile("b.zip", 100, "x", List.of(
                                new RunRecord.LandedObject("p/b.csv", 2000, "m", "m", "b.csv", "c", 20L))), created.plusSeconds(80))
                        .moveTo(RunState.LANDED, "2 objects from 2 files", created.plusSeconds(90));
            }
            stack.oci.objectStorage().put(LocalStack.CONTROL, "runs/" + run.runId() + ".json", JSON.writeValueAsBytes(run));
        }
    }
}
