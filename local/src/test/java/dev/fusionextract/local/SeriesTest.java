package dev.fusionextract.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.FusionSimulator;
import dev.fusionextract.emulator.fusion.OccurrenceShape;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.fusionextract.testing.ChainFixture.CONTROL;
import static dev.fusionextract.testing.ChainFixture.LANDING;
import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recurring request becomes a series: Fusion's simulator runs the job hourly and makes an occurrence each hour,
 * the sweep (every half hour here) starts each finished occurrence as a run of its own, and the series ends once
 * Fusion's job and every occurrence's run have.
 */
class SeriesTest {

    private static final String EVENTS = Chains.EVENTS;
    private static final String SWEEP = "{\"sweep\":true}";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String PARENT = "suppliers-hourly";

    private final ChainFixture fx = new ChainFixture();
    private Deliveries chain;

    @AfterEach
    void close() {
        fx.close();
    }

    private Deliveries chain() {
        if (chain == null) {
            chain = Chains.whole(fx);
        }
        return chain;
    }

    /** An hourly job from now until three and a half hours from now: three occurrences. */
    private String hourlyRequest() {
        Instant start = fx.time.instant();
        Instant end = start.plus(Duration.ofMinutes(210));
        DateTimeFormatter date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HHmm").withZone(ZoneOffset.UTC);
        return "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"runId\":\"" + PARENT + "\",\"recurrence\":{\"interval\":1,"
                + "\"timeUnit\":\"HOUR\",\"startDate\":\"" + date.format(start) + "\",\"endDate\":\"" + date.format(end)
                + "\",\"startTime\":\"0000\",\"endTime\":\"" + time.format(end) + "\"}}";
    }

    private Map<String, RunRecord> runs() {
        Map<String, RunRecord> runs = new TreeMap<>();
        for (String name : fx.oci.objectStorage().objectNames(CONTROL)) {
            if (name.startsWith("runs/") && name.endsWith(".json")) {
                try {
                    RunRecord run = JSON.readValue(fx.oci.objectStorage().object(CONTROL, name).orElseThrow().content(), RunRecord.class);
                    runs.put(run.runId(), run);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return runs;
    }

    /** Sweeps every half hour for five hours, letting every message run its course after each sweep. */
    private List<JsonNode> sweepForFiveHours() throws IOException {
        List<JsonNode> sweeps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fx.time.advance(Duration.ofMinutes(30));
            sweeps.add(JSON.readTree(chain().deliver(EVENTS, SWEEP).reply()).path("sweep"));
            chain().drain(500);
        }
        return sweeps;
    }

    @ParameterizedTest
    @EnumSource(OccurrenceShape.class)
    void eachOccurrenceLandsAsARunOfItsOwnAndTheSeriesEnds(OccurrenceShape shape) throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small())
                .occurrences(shape, Duration.ofMinutes(10)));
        JsonNode submitted = JSON.readTree(chain().deliver(EVENTS, hourlyRequest()).reply());
        assertEquals("RECURRING", submitted.path("state").asText(), submitted.toString());
        assertTrue(fx.oci.notifications().messages(POLL_TOPIC).isEmpty(), "no poller waits on a series");

        List<JsonNode> sweeps = sweepForFiveHours();

        Map<String, RunRecord> runs = runs();
        RunRecord parent = runs.remove(PARENT);
        assertEquals(RunState.LANDED, parent.state(), parent.reason());
        assertTrue(parent.reason().contains("3 occurrences landed"), parent.reason());
        assertEquals(3, runs.size(), runs.keySet().toString());
        assertEquals(new TreeSet<>(runs.keySet()), new TreeSet<>(parent.series().children()), "the parent lists its occurrences");
        long parentJob = Long.parseLong(parent.jobRequestId());
        Set<String> manifests = new TreeSet<>();
        for (RunRecord child : runs.values()) {
            assertEquals(RunState.LANDED, child.state(), child.runId() + ": " + child.reason());
            assertEquals(PARENT, child.series().parentRunId(), "the occurrence names its series");
            assertEquals(PARENT + "-" + child.jobRequestId(), child.runId());
            FusionSimulator.SimulatedJob job = fx.fusion.job(Long.parseLong(child.jobRequestId())).orElseThrow();
            assertTrue(job.id() > parentJob);
            manifests.add(child.reason().replaceAll(".*manifest (\\S+).*", "$1"));
            String folder = child.reason().replaceAll(".*manifest (\\S+)/_manifest\\.json.*", "$1");
            Set<String> landed = child.files().values().stream().flatMap(f -> f.objects().stream()).map(RunRecord.LandedObject::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> underFolder = fx.oci.objectStorage().objectNames(LANDING).stream().filter(n -> n.startsWith(folder + "/"))
                    .filter(n -> !n.endsWith("_manifest.json")).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(underFolder, landed, "an occurrence's folder holds exactly its own files");
            assertTrue(child.files().keySet().stream().allMatch(name -> name.startsWith(child.jobRequestId() + "_")),
                    "its files are its own job's: " + child.files().keySet());
        }
        assertEquals(3, manifests.size(), "a manifest each");
        List<String> statuses = fx.oci.notifications().messages(STATUS_TOPIC).stream().map(PublishedMessage::body).toList();
        assertEquals(4, statuses.size(), "a STATUS per occurrence and one for the series: " + statuses);
        assertEquals(3, sweeps.stream().mapToInt(s -> s.path("occurrencesStarted").asInt()).sum());
        // The cost the README states: per occurrence one poll and one transfer invocation (this output needs no continuation).
        assertEquals(3, chain().to(POLL_TOPIC).size());
        assertEquals(3, chain().to(TRANSFER_TOPIC).size());
        assertEquals(1, fx.fusion.submissions().size(), "one recurring job, submitted once");
    }

    @Test
    void doubledAndReorderedDeliveriesAndTwoSweepsAtOnceChangeNothing() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small())
                .occurrences(OccurrenceShape.PARENT_REQUEST, Duration.ofMinutes(10)));
        chain().duplicateEverything().reorderEverything();
        chain().deliver(EVENTS, hourlyRequest());
        chain().drain(100);
        for (int i = 0; i < 10; i++) {
            fx.time.advance(Duration.ofMinutes(30));
            chain().deliver(EVENTS, SWEEP);
            chain().deliver(EVENTS, SWEEP);
            chain().drain(1000);
        }
        Map<String, RunRecord> runs = runs();
        assertEquals(RunState.LANDED, runs.remove(PARENT).state());
        assertEquals(3, runs.size(), runs.keySet().toString());
        runs.values().forEach(child -> assertEquals(RunState.LANDED, child.state(), child.reason()));
        assertEquals(1, fx.fusion.submissions().size());
        long seriesStatus = fx.oci.notifications().messages(STATUS_TOPIC).stream().filter(m -> m.body().contains("\"" + PARENT + "\"")).count();
        assertEquals(1, seriesStatus, "the series ends once");
    }
}
