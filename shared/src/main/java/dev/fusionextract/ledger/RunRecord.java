package dev.fusionextract.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One run's record in the ledger, {@code runs/<runId>.json}: what was asked, where it is, how it got there.
 * Immutable: every change returns a new record, checked against the state table.
 *
 * @param request     the request as accepted (never credentials)
 * @param attempts    the highest attempt seen per stage
 * @param history     every state reached, with time and reason
 * @param lastError   the last failure, for a person to read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(String runId, RunState state, String reason, JsonNode request, String jobRequestId, String taskRunKey,
                        Map<Stage, Integer> attempts, List<Transition> history, Instant created, Instant updated, String lastError) {

    /** A state reached. */
    public record Transition(RunState state, Instant at, String reason) {
    }

    public RunRecord {
        attempts = attempts == null ? Map.of() : Map.copyOf(attempts);
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static RunRecord requested(String runId, JsonNode request, Instant now) {
        return new RunRecord(runId, RunState.REQUESTED, null, request, null, null, Map.of(),
                List.of(new Transition(RunState.REQUESTED, now, null)), now, now, null);
    }

    /** Moves to {@code next}; moving to the current state is a no-op, any move the table forbids throws. */
    public RunRecord moveTo(RunState next, String why, Instant now) {
        if (next == state) {
            return this;
        }
        if (!state.canMoveTo(next)) {
            throw new LedgerException.IllegalTransition(runId, state, next);
        }
        List<Transition> moved = new ArrayList<>(history);
        moved.add(new Transition(next, now, why));
        return new RunRecord(runId, next, why, request, jobRequestId, taskRunKey, attempts, moved, created, now, lastError);
    }

    public int attempt(Stage stage) {
        return attempts.getOrDefault(stage, 0);
    }

    /** Whether a message for this attempt is older than one already seen. */
    public boolean isStale(Stage stage, int attempt) {
        return attempt < attempt(stage);
    }

    /** Records that {@code attempt} of {@code stage} is being handled; an older attempt throws {@link LedgerException.StaleAttempt}. */
    public RunRecord withAttempt(Stage stage, int attempt, Instant now) {
        if (isStale(stage, attempt)) {
            throw new LedgerException.StaleAttempt(runId, stage, attempt, attempt(stage));
        }
        Map<Stage, Integer> next = new EnumMap<>(Stage.class);
        next.putAll(attempts);
        next.put(stage, attempt);
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, next, history, created, now, lastError);
    }

    public RunRecord withJobRequestId(String id, Instant now) {
        return new RunRecord(runId, state, reason, request, id, taskRunKey, attempts, history, created, now, lastError);
    }

    public RunRecord withTaskRunKey(String key, Instant now) {
        return new RunRecord(runId, state, reason, request, jobRequestId, key, attempts, history, created, now, lastError);
    }

    public RunRecord withLastError(String error, Instant now) {
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, attempts, history, created, now, error);
    }
}
