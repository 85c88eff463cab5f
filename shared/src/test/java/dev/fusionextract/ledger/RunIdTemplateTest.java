package dev.fusionextract.ledger;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunIdTemplateTest {

    private static final Instant AT = Instant.parse("2026-03-04T02:00:07Z");

    @Test
    void eachPlaceholderIsFilledInUtcFromTheArrivalTime() {
        assertEquals("suppliers-nightly-2026-03-04", RunIdTemplate.fill("suppliers-nightly-{date}", AT));
        assertEquals("s-2026-03-04-02", RunIdTemplate.fill("s-{hour}", AT));
        assertEquals("s-2026-03-04-0200", RunIdTemplate.fill("s-{minute}", AT));
        assertEquals("s-2026-03", RunIdTemplate.fill("s-{month}", AT));
        assertEquals("s-2026-W10", RunIdTemplate.fill("s-{week}", AT));
        assertEquals("s-2027-W01", RunIdTemplate.fill("s-{week}", Instant.parse("2027-01-04T00:00:00Z")), "ISO week-based year");
        assertEquals("s-2026-W53", RunIdTemplate.fill("s-{week}", Instant.parse("2027-01-01T00:00:00Z")), "ISO week-based year");
    }

    @Test
    void everyArrivalWithinTheUnitIsTheSameOccurrenceAndTheNextUnitIsANewOne() {
        String template = "n-{date}";
        assertEquals(RunIdTemplate.fill(template, Instant.parse("2026-03-04T00:00:00Z")), RunIdTemplate.fill(template, Instant.parse("2026-03-04T23:59:59Z")));
        assertFalse(RunIdTemplate.fill(template, Instant.parse("2026-03-04T23:59:59Z")).equals(RunIdTemplate.fill(template, Instant.parse("2026-03-05T00:00:00Z"))));
    }

    @Test
    void onlyTemplatesThatFillToAValidRunIdAreAccepted() {
        assertTrue(RunIdTemplate.problem("runId", "a-{date}").isEmpty());
        assertTrue(RunIdTemplate.problem("runId", "a-{day}").orElseThrow().contains("unknown placeholder {day}"));
        assertTrue(RunIdTemplate.problem("runId", "a-{date").isPresent(), "an unclosed brace");
        assertTrue(RunIdTemplate.problem("runId", "a/{date}").isPresent(), "a character a run id may not hold");
        assertTrue(RunIdTemplate.problem("runId", "x".repeat(60) + "-{date}").isPresent(), "longer than a run id once filled");
        assertFalse(RunIdTemplate.isTemplate("plain-id"));
    }
}
