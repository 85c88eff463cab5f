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
        return of(status, what, detail, retryAfter, fix(status));
    }

    /** The same, with the caller's own advice for a refusal ({@code fix}, appended to a 4xx message). */
    public static ExtractException of(int status, String what, String detail, Duration retryAfter, String fix) {
        String message = what + " failed with HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        if (RETRYABLE.contains(status)) {
            return new TransientException(message, null, retryAfter);
        }
        return new RejectedException(status, message + fix);
    }

    /** What a person can do about a refusal, by its status. */
    static String fix(int status) {
        return switch (status) {
            case 400 -> ". The request was refused as malformed: check the extract name, mode and dates.";
            case 401 -> ". The token was refused: check the IDCS application and FUSION_SCOPE.";
            case 403 -> ". Access was denied: give the IDCS application's user the Fusion roles for batch processing and data extraction.";
            case 404 -> ". Not found: check FUSION_BASE_URL, and that the extract definition or job exists in that pod.";
            case 409, 412 -> ". Fusion refused it in its current state: look at the job in Fusion's Scheduled Processes.";
            default -> ". Look at the job in Fusion's Scheduled Processes; if it persists, report the status to Oracle.";
        };
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
