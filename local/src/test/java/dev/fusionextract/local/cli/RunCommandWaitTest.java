package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run} waits for its run with a bound, and says why it stopped when the run had not ended. */
class RunCommandWaitTest {

    private final ManualTime time = new ManualTime();

    private RunRecord running() throws Exception {
        return RunRecord.requested("r-1", new ObjectMapper().readTree("{}"), time.instant()).moveTo(RunState.SUBMITTED, "job 1", time.instant())
                .withLastError("Reading the status of job 1 failed with HTTP 503", time.instant());
    }

    @Test
    void stopsWhenNothingWorksOnTheRunAnyMoreAndSaysSo() throws Exception {
        RunRecord run = running();
        RunCommand.Waited waited = RunCommand.await(() -> Optional.of(run), Duration.ofMinutes(720), () -> true, time, time);
        assertEquals(RunState.SUBMITTED, waited.run().state());
        assertTrue(waited.stoppedBecause().contains("no stage is working on the run any more"), waited.stoppedBecause());
        assertTrue(waited.stoppedBecause().contains("HTTP 503"), "the last error is named: " + waited.stoppedBecause());
        assertTrue(time.sleeps().size() < 10, "it stops after a few quiet checks, not at the timeout");
    }

    @Test
    void stopsAtTheTimeoutWhileStagesStillWork() throws Exception {
        RunRecord run = running();
        RunCommand.Waited waited = RunCommand.await(() -> Optional.of(run), Duration.ofMinutes(3), () -> false, time, time);
        assertTrue(waited.stoppedBecause().contains("did not end within --timeout-minutes 3"), waited.stoppedBecause());
        assertEquals(180, time.sleeps().size());
    }

    @Test
    void returnsAtOnceWhenTheRunEnds() throws Exception {
        RunRecord landed = running().moveTo(RunState.TRANSFERRING, null, time.instant()).moveTo(RunState.LANDED, "done", time.instant());
        RunCommand.Waited waited = RunCommand.await(() -> Optional.of(landed), Duration.ofMinutes(3), () -> false, time, time);
        assertNull(waited.stoppedBecause());
        assertEquals(0, time.sleeps().size());
    }
}
