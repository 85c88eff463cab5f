package dev.fusionextract.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object per line, the form OCI Logging indexes: time, level, message, the context (runId, stage,
 * jobId, ...) and any fields of the call. Every line passes through the {@link Redactor} before it is written.
 */
public final class JsonLog {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Redactor redactor;
    private final Clock clock;
    private final Level threshold;
    private final Map<String, Object> context;

    public JsonLog(PrintStream out, Redactor redactor, Clock clock, Level threshold) {
        this(out, redactor, clock, threshold, Map.of());
    }

    private JsonLog(PrintStream out, Redactor redactor, Clock clock, Level threshold, Map<String, Object> context) {
        this.out = out;
        this.redactor = redactor;
        this.clock = clock;
        this.threshold = threshold;
        this.context = context;
    }

    /** Writes to stdout at INFO. */
    public static JsonLog stdout(Redactor redactor) {
        return new JsonLog(System.out, redactor, Clock.systemUTC(), Level.INFO);
    }

    /** A log that discards everything (for tools and tests that do not look at logs). */
    public static JsonLog discard() {
        return new JsonLog(new PrintStream(java.io.OutputStream.nullOutputStream()), new Redactor(), Clock.systemUTC(), Level.ERROR);
    }

    public static Level parseLevel(String value) {
        return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** The same log with one more context field (runId, stage, jobId, ...) on every line. */
    public JsonLog with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(context);
        more.put(key, value);
        return new JsonLog(out, redactor, clock, threshold, Map.copyOf(more));
    }

    public Redactor redactor() {
        return redactor;
    }

    public void debug(String message, Object... fields) {
        write(Level.DEBUG, message, null, fields);
    }

    public void info(String message, Object... fields) {
        write(Level.INFO, message, null, fields);
    }

    public void warn(String message, Object... fields) {
        write(Level.WARN, message, null, fields);
    }

    public void error(String message, Throwable error, Object... fields) {
        write(Level.ERROR, message, error, fields);
    }

    private void write(Level level, String message, Throwable error, Object... fields) {
        if (level.compareTo(threshold) < 0) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("level", level.name());
        line.put("msg", message);
        line.putAll(new java.util.TreeMap<>(context));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object value = fields[i + 1];
            line.put(String.valueOf(fields[i]), value instanceof Number || value instanceof Boolean || value == null ? value : String.valueOf(value));
        }
        if (error != null) {
            line.put("error", error.getClass().getName());
            line.put("errorMessage", chain(error));
        }
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            text = "{\"level\":\"ERROR\",\"msg\":\"log line could not be written as JSON\"}";
        }
        String redacted = redactor.redact(text);
        synchronized (out) {
            out.println(redacted);
        }
    }

    /** The messages of an exception and its causes, without stack frames (those go nowhere near a log). */
    private static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 2000; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
