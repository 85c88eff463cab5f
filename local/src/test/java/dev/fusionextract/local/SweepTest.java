package dev.fusionextract.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.fusionextract.testing.ChainFixture.CONTROL;
import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep finishes what deliveries alone cannot: lost events, lost hand-overs, runs past their time limit. */
class SweepTest {

    private static final String EVENTS = Chains.EVENTS;
    private static final String SWEEP = "{\"sweep\":true}";
    private static final String FULL = "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final ChainFixture fx = new ChainFixture();
    private Deliveries chain;

    SweepTest() {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script("ENQUEUED", "RUNNING", "SUCCEEDED"));
        fx.settings().put("MAX_RUN_MINUTES", "60");
    }

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

    private JsonNode sweep() throws IOException {
        return JSON.readTree(chain().deliver(EVENTS, SWEEP).reply()).path("sweep");
    }

    private List<RunRecord> runs() {
        List<RunRecord> runs = new ArrayList<>();
        for (String name : fx.oci.objectStorage().objectNames(CONTROL)) {
            if (name.startsWith("runs/") && name.endsWith(".json")) {
                try {
                    runs.add(JSON.readValue(fx.oci.objectStorage().object(CONTROL, name).orElseThrow().content(), RunRecord.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return runs;
    }

    private List<String> markers() {
        return fx.oci.objectStorage().objectNames(CONTROL).stream().filter(n -> n.startsWith("active/")).toList();
    }

    @Test
    void aRequestObjectWhoseEventWasLostIsStartedAndLandsAndALateEventFindsItsRun() throws Exception {
        String lostEvent = fx.dropRequest("requests/lost.json", FULL);
        fx.time.advance(Duration.ofMinutes(5));
        assertEquals(0, sweep().path("requestsStarted").asInt(), "Events gets the first ten minutes");
        fx.time.advance(Duration.ofMinutes(6));
        JsonNode outcome = sweep();
        assertEquals(1, outcome.path("requestsStarted").asInt(), outcome.toString());
        chain().drain(200);
        assertEquals(RunState.LANDED, fx.onlyRun().state());
        chain().deliver(EVENTS, lostEvent);
        chain().drain(50);
        assertEquals(1, fx.fusion.submissions().size(), "the late event maps to the same run: no second job");
        assertEquals(0, sweep().path("requestsStarted").asInt(), "a request with a run is not started again");
        assertEquals(List.of(), markers(), "an ended run leaves no active marker");
    }

    @Test
    void aRunWhosePollMessageWasLostIsResentAndLands() throws Exception {
        chain().deliver(EVENTS, fx.dropRequest("requests/r.json", FULL));
        assertEquals(1, chain().loseQueued().size(), "the POLL message is lost");
        assertEquals(RunState.SUBMITTED, fx.onlyRun().state());
        fx.time.advance(Duration.ofMinutes(5));
        assertEquals(0, sweep().path("resent").asInt(), "not stalled yet");
        fx.time.advance(Duration.ofMinutes(6));
        assertEquals(1, sweep().path("resent").asInt());
        chain().drain(200);
        assertEquals(RunState.LANDED, fx.onlyRun().state());
        assertEquals(1, fx.fusion.submissions().size());
    }

    @Test
    void aRunWhoseTransferMessageWasLostIsResentAndLands() throws Exception {
        chain().deliver(EVENTS, fx.dropRequest("requests/r.json", FULL));
        chain().deliver(POLL_TOPIC, chain().loseQueued().get(0)); // the job ends, TRANSFER is published
        assertEquals(1, chain().loseQueued().size(), "the TRANSFER message is lost");
        assertEquals(RunState.TRANSFERRING, fx.onlyRun().state());
        fx.time.advance(Duration.ofMinutes(11));
        assertEquals(1, sweep().path("resent").asInt());
        chain().drain(200);
        assertEquals(RunState.LANDED, fx.onlyRun().state());
    }

    @Test
    void aRunWhoseStatusCannotBeReadIsTimedOutPastMaxRunMinutes() throws Exception {
        chain().deliver(EVENTS, fx.dropRequest("requests/r.json", FULL));
        chain().loseQueued();
        fx.fusion.faults(Endpoint.STATUS).add(Fault.status(503), 100_000);
        fx.time.advance(Duration.ofMinutes(61));
        JsonNode outcome = sweep();
        assertEquals(1, outcome.path("timedOut").asInt(), outcome.toString());
        RunRecord run = fx.onlyRun();
        assertEquals(RunState.TIMED_OUT, run.state());
        assertTrue(run.reason().contains("stayed SUBMITTED for 61 minutes (MAX_RUN_MINUTES=60)") && run.reason().contains("Fusion job 44046"),
                run.reason());
        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).get(0).body().contains("TIMED_OUT"));
        assertEquals(List.of(), markers());
        assertEquals(0, sweep().path("timedOut").asInt(), "an ended run is not swept again");
    }

    @Test
    void twoSweepsAtOnceStartEachLostRequestOnceAndResendEachLostMessageOnce() throws Exception {
        chain().deliver(EVENTS, fx.dropRequest("requests/stalled.json", FULL));
        chain().loseQueued();
        fx.dropRequest("requests/lost.json", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\"}");
        fx.time.advance(Duration.ofMinutes(11));
        SubmitFunction a = SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT));
        SubmitFunction b = SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT));
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = List.of(
                    pool.submit(() -> {
                        start.await();
                        return a.handleRequest(fx.invocation(SWEEP));
                    }),
                    pool.submit(() -> {
                        start.await();
                        return b.handleRequest(fx.invocation(SWEEP));
                    }));
            for (Future<?> sweep : both) {
                sweep.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, fx.fusion.submissions().size(), "one job for the stalled run, one for the lost request: none twice");
        List<PublishedMessage> polls = fx.oci.notifications().messages(POLL_TOPIC);
        String stalled = runs().stream().filter(r -> r.state() == RunState.SUBMITTED && r.nudgedAt() != null).findFirst().orElseThrow().runId();
        assertEquals(2, polls.stream().filter(m -> m.body().contains(stalled)).count(), "the lost POLL and one re-send, not two");
        chain().drain(400);
        assertEquals(2, runs().size());
        runs().forEach(r -> assertEquals(RunState.LANDED, r.state(), r.reason()));
    }
}
