package dev.fusionextract.emulator.fusion;

import java.time.Duration;

/** One injected misbehaviour, applied to the next request of an endpoint. */
public sealed interface Fault {

    /** Whether the fault acts while the body is streamed (only downloads stream a body). */
    default boolean actsOnBody() {
        return this instanceof DropMidBody || this instanceof SlowBody || this instanceof Stall;
    }

    /** Answers {@code status} with an ESS-style error body; Retry-After in seconds or as an HTTP date. */
    record HttpError(int status, Duration retryAfter, boolean retryAfterAsHttpDate) implements Fault {
    }

    /** Answers 401 as if the bearer token had expired. */
    record Unauthorized() implements Fault {
    }

    /** Sends the headers and the first {@code afterBytes} of the body, then closes the connection. */
    record DropMidBody(long afterBytes) implements Fault {
    }

    /** Sends the body in 8 KiB pieces with a pause before each. */
    record SlowBody(Duration pausePerChunk) implements Fault {
    }

    /** Sends the headers and the first piece, then sends nothing more for {@code pause}. */
    record Stall(Duration pause) implements Fault {
    }

    /**
     * Answers with exactly this status, headers and body instead of doing the work: an upstream that answers
     * what no documentation promises (an HTML page, a malformed header, a body that echoes a secret).
     */
    record Answer(int status, java.util.Map<String, String> headers, String contentType, byte[] body) implements Fault {
    }

    static Fault answer(int status, java.util.Map<String, String> headers, String contentType, String body) {
        return new Answer(status, java.util.Map.copyOf(headers), contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Fault status(int status) {
        return new HttpError(status, null, false);
    }

    static Fault tooManyRequests(Duration retryAfter) {
        return new HttpError(429, retryAfter, false);
    }

    static Fault unavailableUntil(Duration retryAfter) {
        return new HttpError(503, retryAfter, true);
    }

    static Fault unauthorized() {
        return new Unauthorized();
    }

    static Fault dropAfter(long bytes) {
        return new DropMidBody(bytes);
    }

    static Fault slow(Duration pausePerChunk) {
        return new SlowBody(pausePerChunk);
    }

    static Fault stall(Duration pause) {
        return new Stall(pause);
    }
}
