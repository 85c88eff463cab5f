package dev.fusionextract.logging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionextract.testing.CapturedLog;
import dev.fusionextract.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLogTest {

    private final CapturedLog captured = new CapturedLog(new ManualTime());

    @Test
    void writesOneJsonObjectPerLineWithTheContext() {
        JsonLog log = captured.log().with("runId", "r-1").with("stage", "POLL");
        log.with("jobId", "44046").info("job status", "status", "RUNNING", "attempt", 3);
        List<JsonNode> lines = captured.lines();
        assertEquals(1, lines.size());
        JsonNode line = lines.get(0);
        assertEquals("INFO", line.path("level").asText());
        assertEquals("job status", line.path("msg").asText());
        assertEquals("r-1", line.path("runId").asText());
        assertEquals("POLL", line.path("stage").asText());
        assertEquals("44046", line.path("jobId").asText());
        assertEquals(3, line.path("attempt").asInt());
        assertEquals("2026-01-15T08:00:00Z", line.path("time").asText());
    }

    @Test
    void masksRegisteredSecretsWhereverTheyAppear() {
        captured.log().redactor().register("s3cr3t-Value-42");
        captured.log().error("call failed", new IllegalStateException("server said s3cr3t-Value-42 is wrong"),
                "detail", "prefix-s3cr3t-Value-42-suffix");
        String text = captured.text();
        assertFalse(text.contains("s3cr3t-Value-42"), text);
        assertTrue(text.contains("prefix-****-suffix"), text);
    }

    @Test
    void masksCredentialShapesNobodyRegistered() {
        Redactor redactor = new Redactor();
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        String text = redactor.redact("Authorization: Bearer abc.def-123 Basic dXNlcjpwYXNz " + jwt
                + " {\"clientSecret\":\"x1\",\"password\" : \"x2\",\"access_token\":\"x3\"}"
                + " -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----");
        for (String leaked : List.of("abc.def-123", "dXNlcjpwYXNz", jwt, "x1", "x2", "x3", "MIIB")) {
            assertFalse(text.contains(leaked), leaked + " in " + text);
        }
        assertTrue(text.contains("Bearer ****"), text);
    }

    @Test
    void leavesOrdinaryTextAlone() {
        assertEquals("job 44046 is RUNNING", new Redactor().redact("job 44046 is RUNNING"));
    }

    @Test
    void dropsLinesBelowTheThreshold() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        JsonLog quiet = new JsonLog(new java.io.PrintStream(out, true), new Redactor(), new ManualTime(), JsonLog.Level.WARN);
        quiet.info("ignored");
        assertEquals(0, out.size());
        quiet.warn("kept");
        assertTrue(out.toString().contains("\"kept\""), out.toString());
    }

    @Test
    void hintShowsOnlyAPrefix() {
        assertEquals("abcd****", Redactor.hint("abcdefghijkl"));
        assertEquals("****", Redactor.hint("short"));
    }
}
