package dev.fusionextract.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The time an invocation may use: until its Fn-Deadline less a safety margin. Work that would not fit is left
 * to a new invocation. A deadline further away than the longest possible invocation (an hour) is capped.
 */
public record Budget(Instant end, Clock clock) {

    private static final Duration LONGEST_INVOCATION = Duration.ofHours(1);

    public static Budget until(Instant deadline, Duration margin, Clock clock) {
        Instant latest = clock.instant().plus(LONGEST_INVOCATION);
        Instant end = (deadline == null || deadline.isAfter(latest) ? latest : deadline).minus(margin);
        return new Budget(end, clock);
    }

    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Whether {@code work} would end before the budget does. */
    public boolean fits(Duration work) {
        return !clock.instant().plus(work).isAfter(end);
    }
}
