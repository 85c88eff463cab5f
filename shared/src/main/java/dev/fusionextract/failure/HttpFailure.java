package dev.fusionextract.failure;

import java.time.Duration;
import java.util.Set;

/** Turns an unexpected HTTP status into the right kind of failure. */
public final class HttpFailure {

    /** The statuses worth another try; every other 4xx is permanent. */
    public static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    private HttpFailure() {
    }

    /**
     * @param what       what was being done, e.g. "Fusion job status for 44046"
     * @param detail     the server's own explanation, already free of secrets (may be empty)
     * @param retryAfter the server's Retry-After, or null
     */
    public static ExtractException of(int status, String what, String detail, Duration retryAfter) {
        String message = what + " failed with HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        if (RETRYABLE.contains(status)) {
            return new TransientException(message, null, retryAfter);
        }
        return new RejectedException(status, message);
    }

    /** A 4xx other than 429: the server refused the request as it stands. */
    public static final class RejectedException extends PermanentException {
        private final int status;

        public RejectedException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
