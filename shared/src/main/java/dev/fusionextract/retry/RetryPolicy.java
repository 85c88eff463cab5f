package dev.fusionextract.retry;

import java.time.Duration;

/**
 * Exponential backoff with full jitter: before attempt n+1 wait a random time in
 * [0, min(maxDelay, baseDelay * 2^(n-1))), or exactly what the server's Retry-After asked for. Gives up after
 * {@code maxAttempts} attempts, or when the next wait would end past {@code maxElapsed} from the first attempt.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxElapsed) {

    public RetryPolicy {
        if (maxAttempts < 1 || baseDelay.isNegative() || maxDelay.isNegative() || maxElapsed.isNegative()) {
            throw new IllegalArgumentException("a retry policy needs at least one attempt and no negative durations");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(120));
    }

    /** The upper bound of the jittered wait after {@code failures} failed attempts (1 after the first). */
    Duration ceiling(int failures) {
        long base = baseDelay.toMillis();
        int shift = Math.min(failures - 1, 30);
        long ceiling = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        return Duration.ofMillis(Math.min(ceiling, maxDelay.toMillis()));
    }
}
