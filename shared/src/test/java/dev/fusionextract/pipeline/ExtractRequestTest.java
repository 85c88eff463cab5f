package dev.fusionextract.pipeline;

import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.fusion.ExtractMode;
import dev.fusionextract.fusion.Recurrence;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractRequestTest {

    private static ExtractRequest parse(String json) {
        return ExtractRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAFullRequestWithARecurrence() {
        ExtractRequest request = parse("{\"extractName\":\"Suppliers\",\"mode\":\"incremental\",\"landingPrefix\":\"erp/suppliers\","
                + "\"runId\":\"nightly-1\",\"recurrence\":{\"interval\":2,\"timeUnit\":\"hour\",\"startDate\":\"2026-01-01\","
                + "\"endDate\":\"2026-03-31\",\"startTime\":\"0600\"}}");
        assertEquals(ExtractMode.INCREMENTAL, request.mode());
        assertEquals("erp/suppliers", request.landingPrefix().orElseThrow());
        Recurrence r = request.recurrence().orElseThrow();
        assertEquals(Recurrence.Unit.HOUR, r.unit());
        assertEquals(LocalDate.of(2026, 3, 31), r.endDate());
        assertEquals("2359", r.endTime());
        assertEquals("nightly-1::Suppliers::Incremental::Recurring", request.job("nightly-1").description());
        assertEquals(request, ExtractRequest.parse(request.toJson()), "what the ledger keeps reads back the same");
    }

    @Test
    void aScheduledRequestGetsTheRunIdOfItsOccurrence() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.time.Instant at = java.time.Instant.parse("2026-03-04T02:00:07Z");
        assertEquals("nightly-2026-03-04", ExtractRequest.runIdFor(json.readTree("{\"schedule\":\"nightly\"}"), at).orElseThrow(),
                "a schedule without runId: one run per UTC day");
        assertEquals("n-2026-03-04-02", ExtractRequest.runIdFor(json.readTree("{\"schedule\":\"nightly\",\"runId\":\"n-{hour}\"}"), at).orElseThrow());
        assertEquals("fixed", ExtractRequest.runIdFor(json.readTree("{\"runId\":\"fixed\"}"), at).orElseThrow());
        assertTrue(ExtractRequest.runIdFor(json.readTree("{\"runId\":\"n-{day}\"}"), at).isEmpty());
        assertTrue(ExtractRequest.runIdFor(json.readTree("{}"), at).isEmpty());
        assertEquals("nightly", parse("{\"extractName\":\"S\",\"mode\":\"FULL\",\"schedule\":\"nightly\"}").schedule().orElseThrow());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> parse("{\"extractName\":\"S\",\"mode\":\"FULL\",\"schedule\":\"" + "s".repeat(54) + "\"}"));
        assertTrue(e.getMessage().contains("schedule must be a name of 1 to 53"), e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parse("{\"extract\":\"x\",\"mode\":\"ALL\","
                + "\"landingPrefix\":\"../etc\",\"runId\":\"a b\",\"recurrence\":{\"interval\":1,\"timeUnit\":\"WEEK\",\"startDate\":\"01/02/2026\","
                + "\"endDate\":\"2026-01-01\",\"extra\":1}}"));
        for (String expected : new String[]{"unknown field extract", "extractName is required", "mode must be FULL or INCREMENTAL, got \"ALL\"",
                "landingPrefix must be folders", "runId must be", "unknown field recurrence.extra",
                "recurrence.startDate must be a date like 2026-01-31, got \"01/02/2026\"", "recurrence.timeUnit must be MINUTE, HOUR or DAY"}) {
            assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
        }
    }

    @Test
    void refusesWhatIsNotARequestObject() {
        assertTrue(assertThrows(InvalidRequestException.class, () -> parse("nope")).getMessage().contains("not valid JSON"));
        assertThrows(InvalidRequestException.class, () -> parse("[]"));
        assertThrows(InvalidRequestException.class, () -> ExtractRequest.parse(new byte[ExtractRequest.MAX_BYTES + 1]));
    }

    @Test
    void reportsAWrongTypeAsAWrongTypeAndShowsAValueOutOfRange() {
        String message = assertThrows(InvalidRequestException.class, () -> parse("{\"extractName\":123,\"mode\":true,"
                + "\"landingPrefix\":{\"a\":1},\"runId\":7,\"recurrence\":{\"interval\":99999999999,\"timeUnit\":\"DAY\","
                + "\"startDate\":\"2026-01-01\",\"endDate\":\"2026-02-01\"}}")).getMessage();
        for (String expected : new String[]{"extractName must be a string, got a number (123)", "mode must be the string FULL or INCREMENTAL, got a boolean",
                "landingPrefix must be a string, got an object", "runId must be a string, got a number (7)",
                "recurrence.interval must be from 1 to 10000, got 99999999999"}) {
            assertTrue(message.contains(expected), expected + " in " + message);
        }
        assertFalse(message.contains("extractName is required"), message);
    }

    @Test
    void refusesDuplicateKeysAndContentAfterTheDocument() {
        assertTrue(assertThrows(InvalidRequestException.class, () -> parse("{\"extractName\":\"A\",\"extractName\":\"B\",\"mode\":\"FULL\"}"))
                .getMessage().contains("Duplicate field 'extractName'"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> parse("{\"extractName\":\"A\",\"mode\":\"FULL\"} {\"x\":1}"))
                .getMessage().contains("not valid JSON"));
    }

    @Test
    void aRunIdFollowsTheOneRuleEverywhere() {
        assertTrue(assertThrows(InvalidRequestException.class, () -> parse("{\"extractName\":\"A\",\"mode\":\"FULL\",\"runId\":\"nightly..2026\"}"))
                .getMessage().contains("runId must be 1 to 64"));
        assertTrue(dev.fusionextract.ledger.RunId.valid("nightly-2026.01"));
        assertFalse(dev.fusionextract.ledger.RunId.valid(".hidden"));
        assertFalse(dev.fusionextract.ledger.RunId.valid("a".repeat(65)));
    }
}
