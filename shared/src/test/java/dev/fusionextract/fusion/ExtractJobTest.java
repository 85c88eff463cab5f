package dev.fusionextract.fusion;

import dev.fusionextract.failure.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractJobTest {

    @Test
    void describesTheJobForFusionsScheduler() {
        assertEquals("fusion-extract::Suppliers::Full::Immediate", ExtractJob.immediate("Suppliers", ExtractMode.FULL).description());
        Recurrence daily = Recurrence.of(1, Recurrence.Unit.DAY, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31), null, null);
        assertEquals("run-7::Suppliers::Incremental::Recurring",
                ExtractJob.recurring("Suppliers", ExtractMode.INCREMENTAL, daily).withLabel("run-7").description());
    }

    @Test
    void recurrenceTakesTheDefaultWindow() {
        Recurrence r = Recurrence.of(2, Recurrence.Unit.HOUR, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 1), null, null);
        assertEquals("0000", r.startTime());
        assertEquals("2359", r.endTime());
    }

    @Test
    void recurrenceReportsEveryProblemAtOnce() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Recurrence.of(0, null,
                LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 1), "2460", "12:00"));
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("interval must be from 1"), e.getMessage());
        assertTrue(e.getMessage().contains("timeUnit must be MINUTE, HOUR or DAY"), e.getMessage());
        assertTrue(e.getMessage().contains("endDate 2026-01-01 is before startDate 2026-02-01"), e.getMessage());
        assertTrue(e.getMessage().contains("startTime must be HHMM"), e.getMessage());
        assertTrue(e.getMessage().contains("endTime must be HHMM"), e.getMessage());
    }

    @Test
    void recurrenceNeedsBothDatesAndAWindowThatOpensBeforeItCloses() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Recurrence.of(1, Recurrence.Unit.MINUTE, null, null, "1800", "0900"));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @Test
    void jobNeedsAnExtractNameAndAMode() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> new ExtractJob(" ", null, Optional.empty(), "x::y"));
        assertEquals(3, e.problems().size(), e.getMessage());
    }
}
