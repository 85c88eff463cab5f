package dev.fusionextract.fusion;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A job's status as Fusion reported it: the raw name (upper-cased), what it means, whether the table knew the
 * name, and the progress fields when present.
 */
public record JobStatus(JobRequestId id, String name, JobState state, boolean known, Optional<String> message,
                        OptionalInt completedPercentage, Optional<Boolean> completed) {

    public boolean terminal() {
        return state != JobState.RUNNING;
    }
}
