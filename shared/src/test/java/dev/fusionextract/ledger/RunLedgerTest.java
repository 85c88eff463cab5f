package dev.fusionextract.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.testing.OciFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OciFixture fx = new OciFixture();
    // Conflict backoff sleeps a few real milliseconds: the threads must really interleave.
    private final RunLedger ledger = new RunLedger(fx.clients.objectStorage(), fx.calls, fx.clients.namespace(), OciFixture.CONTROL,
            fx.time, Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble(), fx.jsonLog());

    @AfterEach
    void close() {
        fx.close();
    }

    private RunRecord requested(String runId) throws Exception {
        return RunRecord.requested(runId, JSON.readTree("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"), fx.time.instant());
    }

    @Test
    void createsARunOnceAndFindsItTheSecondTime() throws Exception {
        RunLedger.Creation first = ledger.create(requested("r-1"));
        assertInstanceOf(RunLedger.Created.class, first);
        RunLedger.Creation again = ledger.create(requested("r-1"));
        assertInstanceOf(RunLedger.AlreadyExists.class, again);
        assertEquals(first.run().etag(), again.run().etag(), "nothing was written the second time");
        assertEquals(RunState.REQUESTED, again.run().record().state());
        String stored = new String(fx.oci.objectStorage().object(OciFixture.CONTROL, "runs/r-1.json").orElseThrow().content(), StandardCharsets.UTF_8);
        assertTrue(stored.contains("\"state\" : \"REQUESTED\""), stored);
    }

    @Test
    void recordsTransitionsWithTheirReasonsAndTimes() throws Exception {
        ledger.create(requested("r-2"));
        ledger.update("r-2", r -> r.moveTo(RunState.SUBMITTED, "job 44046", fx.time.instant()).withJobRequestId("44046", fx.time.instant()));
        RunRecord record = ledger.update("r-2", r -> r.moveTo(RunState.FAILED, "ORA-01555 in Fusion", fx.time.instant())).record();
        assertEquals(RunState.FAILED, record.state());
        assertEquals("ORA-01555 in Fusion", record.reason());
        assertEquals(List.of(RunState.REQUESTED, RunState.SUBMITTED, RunState.FAILED),
                record.history().stream().map(RunRecord.Transition::state).toList());
        assertEquals(record, ledger.read("r-2").orElseThrow().record(), "what is read back is what was written");
    }

    @Test
    void anIllegalTransitionThrowsAndWritesNothing() throws Exception {
        ledger.create(requested("r-3"));
        ledger.update("r-3", r -> r.moveTo(RunState.REJECTED, "no extract name", fx.time.instant()));
        String etag = ledger.read("r-3").orElseThrow().etag();
        assertThrows(LedgerException.IllegalTransition.class, () -> ledger.update("r-3", r -> r.moveTo(RunState.RUNNING, null, fx.time.instant())));
        assertEquals(etag, ledger.read("r-3").orElseThrow().etag());
        for (RunState terminal : List.of(RunState.FAILED, RunState.TIMED_OUT, RunState.REJECTED, RunState.LOADED)) {
            for (RunState next : RunState.values()) {
                assertTrue(!terminal.canMoveTo(next), terminal + " -> " + next);
            }
        }
    }

    @Test
    void aStaleAttemptIsRecognised() throws Exception {
        ledger.create(requested("r-4"));
        ledger.update("r-4", r -> r.withAttempt(Stage.POLL, 3, fx.time.instant()));
        RunRecord record = ledger.read("r-4").orElseThrow().record();
        assertTrue(record.isStale(Stage.POLL, 2));
        assertTrue(!record.isStale(Stage.POLL, 3), "a redelivery of the current attempt is not stale");
        assertThrows(LedgerException.StaleAttempt.class, () -> ledger.update("r-4", r -> r.withAttempt(Stage.POLL, 2, fx.time.instant())));
        assertEquals(0, record.attempt(Stage.TRANSFER));
    }

    @Test
    void twoThreadsUpdatingOneRunForAHundredRoundsLoseNoUpdate() throws Exception {
        ledger.create(requested("r-5"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Object>> workers = List.of(Stage.POLL, Stage.TRANSFER).stream().map(stage -> pool.submit(() -> {
            for (int round = 0; round < 100; round++) {
                // both threads bump the same counter, so a lost update shows as a total below 200
                ledger.update("r-5", r -> r.withAttempt(Stage.LOAD, r.attempt(Stage.LOAD) + 1, fx.time.instant()));
            }
            return (Object) stage;
        })).toList();
        for (Future<Object> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(200, ledger.read("r-5").orElseThrow().record().attempt(Stage.LOAD));
        assertTrue(fx.oci.faults().calls(OciOperation.PUT_OBJECT) > 201, "the threads did collide");
    }

    @Test
    void aConflictOnWriteIsReappliedToTheNewerRecord() throws Exception {
        ledger.create(requested("r-6"));
        fx.oci.faults().next(OciOperation.PUT_OBJECT, OciFault.status(409, "ConcurrentObjectUpdate"));
        ledger.update("r-6", r -> r.moveTo(RunState.SUBMITTED, null, fx.time.instant()));
        assertEquals(RunState.SUBMITTED, ledger.read("r-6").orElseThrow().record().state());
    }

    @Test
    void aRunIdThatIsNotASafeNameIsRefused() {
        assertThrows(PermanentException.class, () -> RunLedger.objectName("../x"));
        assertEquals("runs/evt-3f2a.json", RunLedger.objectName("evt-3f2a"));
    }

    @Test
    void aMissingControlBucketNamesTheKeyToFix() throws Exception {
        RunLedger wrong = new RunLedger(fx.clients.objectStorage(), fx.calls, fx.clients.namespace(), "no-such-bucket", fx.time,
                Sleeper.system(), () -> 0.5, fx.jsonLog());
        PermanentException e = assertThrows(PermanentException.class, () -> wrong.create(requested("r-7")));
        assertTrue(e.getMessage().contains("CONTROL_BUCKET"), e.getMessage());
    }
}
