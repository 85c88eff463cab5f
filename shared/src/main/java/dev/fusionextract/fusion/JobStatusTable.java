package dev.fusionextract.fusion;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Map.entry;

/**
 * The one table that classifies Fusion / ESS job status names. Only ENQUEUED and RUNNING are confirmed by
 * Oracle for the batch API; the rest are the ESS scheduler's names. Any name not listed counts as RUNNING
 * (the poller keeps going, and the run's time limit ends it if it never changes); callers log unknown names.
 * COMPLETED counts as success: ESS uses it for a request that has run to its end.
 */
public final class JobStatusTable {

    private static final Map<String, JobState> TABLE = Map.ofEntries(
            entry("SUCCEEDED", JobState.SUCCEEDED),
            entry("COMPLETED", JobState.SUCCEEDED),
            entry("WARNING", JobState.SUCCEEDED),
            entry("FINISHED", JobState.SUCCEEDED),

            entry("ERROR", JobState.FAILED),
            entry("FAILED", JobState.FAILED),
            entry("CANCELLED", JobState.FAILED),
            entry("CANCELED", JobState.FAILED),
            entry("EXPIRED", JobState.FAILED),
            entry("VALIDATION_FAILED", JobState.FAILED),
            entry("ERROR_MANUAL_RECOVERY", JobState.FAILED),

            entry("ENQUEUED", JobState.RUNNING),
            entry("RUNNING", JobState.RUNNING),
            entry("WAIT", JobState.RUNNING),
            entry("READY", JobState.RUNNING),
            entry("BLOCKED", JobState.RUNNING),
            entry("HOLD", JobState.RUNNING),
            entry("PAUSED", JobState.RUNNING),
            entry("PENDING_VALIDATION", JobState.RUNNING),
            entry("CANCELLING", JobState.RUNNING),
            entry("ERROR_AUTO_RETRY", JobState.RUNNING),
            entry("SCHEDULE_ENDED", JobState.RUNNING),
            entry("UNKNOWN", JobState.RUNNING));

    private JobStatusTable() {
    }

    /** The state of a known name; empty for a name the table does not list. */
    public static Optional<JobState> lookup(String statusName) {
        return Optional.ofNullable(TABLE.get(normalise(statusName)));
    }

    public static JobState classify(String statusName) {
        return lookup(statusName).orElse(JobState.RUNNING);
    }

    static String normalise(String statusName) {
        return statusName == null ? "" : statusName.trim().toUpperCase(Locale.ROOT);
    }
}
