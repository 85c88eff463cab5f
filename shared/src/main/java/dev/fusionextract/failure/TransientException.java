package dev.fusionextract.failure;

import java.time.Duration;
import java.util.Optional;

/** A failure that may go away: a network error, 429, 500, 502, 503, 504. */
public class TransientException extends ExtractException {

    private final Duration retryAfter;

    public TransientException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public TransientException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public final boolean retryable() {
        return true;
    }
}
