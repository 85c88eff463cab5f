package dev.fusionextract.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

    private final Instant now = Instant.parse("2026-01-15T08:00:00Z");

    @Test
    void readsDelaySeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(12)), RetryAfter.parse(Optional.of(" 12 "), now));
    }

    @Test
    void readsAnHttpDateRelativeToTheClock() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse(Optional.of("Thu, 15 Jan 2026 08:01:30 GMT"), now));
    }

    @Test
    void treatsADateInThePastAsNoWait() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(Optional.of("Thu, 15 Jan 2026 07:00:00 GMT"), now));
    }

    @Test
    void ignoresGarbageAndAbsence() {
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.of("soon"), now));
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.empty(), now));
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.of("-3"), now));
    }
}
