package dev.fusionextract.ledger;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decision table behind "every stage is safe to run twice". */
class ClaimTest {

    private final Instant now = Instant.parse("2026-01-15T08:00:00Z");
    private final RunRecord fresh = RunRecord.requested("r", null, now);

    @Test
    void decidesFromTheRecordedAttemptItsLeaseAndWhetherItIsDone() {
        assertEquals(RunRecord.Decision.CLAIM, fresh.decide(Stage.POLL, 1, now), "nothing claimed yet");
        RunRecord held = fresh.claim(Stage.POLL, 3, now.plusSeconds(300), now);
        assertEquals(RunRecord.Decision.BUSY, held.decide(Stage.POLL, 3, now.plusSeconds(10)));
        assertEquals(RunRecord.Decision.TAKE_OVER, held.decide(Stage.POLL, 3, now.plusSeconds(301)));
        assertEquals(RunRecord.Decision.STALE, held.decide(Stage.POLL, 2, now));
        assertEquals(RunRecord.Decision.CLAIM, held.decide(Stage.POLL, 4, now), "a newer attempt");
        assertEquals(RunRecord.Decision.CLAIM, held.decide(Stage.TRANSFER, 1, now), "stages are independent");
        assertEquals(RunRecord.Decision.DONE, held.finish(Stage.POLL, 3, now).decide(Stage.POLL, 3, now));
        assertEquals(RunRecord.Decision.CLAIM, held.release(Stage.POLL, 3, now).decide(Stage.POLL, 3, now), "given back");
    }

    @Test
    void finishingOrReleasingAnOlderAttemptLeavesANewerClaimAlone() {
        RunRecord newer = fresh.claim(Stage.POLL, 5, now.plusSeconds(300), now);
        assertEquals(newer, newer.finish(Stage.POLL, 4, now));
        assertEquals(newer, newer.release(Stage.POLL, 4, now));
        assertEquals(newer.finish(Stage.POLL, 5, now), newer.finish(Stage.POLL, 5, now).release(Stage.POLL, 5, now),
                "a done attempt is not given back");
    }
}
