package dev.fusionextract.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** A {@link JsonLog} whose lines the test can read back. */
public final class CapturedLog {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final JsonLog log;

    public CapturedLog(Clock clock) {
        this.log = new JsonLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), new Redactor(), clock, JsonLog.Level.DEBUG);
    }

    public JsonLog log() {
        return log;
    }

    public String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    public List<JsonNode> lines() {
        ObjectMapper json = new ObjectMapper();
        return text().lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON log line: " + l, e);
            }
        }).toList();
    }
}
