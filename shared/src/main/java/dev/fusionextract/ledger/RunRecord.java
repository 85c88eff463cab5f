package dev.fusionextract.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionextract.failure.Reasons;

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
 * @param stages      per stage: the highest attempt seen, who holds it until when, whether it is done
 * @param history     every state reached, with time and reason
 * @param lastError   the last failure, for a person to read
 * @param nudgedAt    when a sweep last re-sent the message of a stage that had stopped moving
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(String runId, RunState state, String reason, JsonNode request, String jobRequestId, String taskRunKey,
                        Map<Stage, Claim> stages, List<Transition> history, Instant created, Instant updated, String lastError,
                        Map<String, LandedFile> files, Instant nudgedAt, Series series) {

    /** An output file of the job, landed: where its bytes went. */
    public record LandedFile(String source, long size, String sha256, List<LandedObject> objects) {
    }

    /** One object written for an output file: a ZIP entry, or the file itself when it is not a ZIP. */
    public record LandedObject(String name, long size, String md5, String storageMd5, String entry, String crc32, Long rows) {
    }

    /**
     * A run's place in a series of a recurring Fusion job: the parent (RECURRING while Fusion's schedule is active)
     * lists its children, the run of each occurrence that finished; a child names its parent and its occurrence's
     * job.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Series(String parentRunId, List<String> children) {
        public Series {
            children = children == null ? List.of() : List.copyOf(children);
        }
    }

    /** A state reached. */
    public record Transition(RunState state, Instant at, String reason) {
    }

    /**
     * A stage's hold on the run: the attempt being (or last) handled, the deadline of the invocation handling it
     * (null once released), whether that attempt's work is done, and how many deliveries of it ended in an
     * unexpected error (bounded: see {@code StageRunner}).
     */
    public record Claim(int attempt, Instant leaseUntil, boolean done, int faults) {
    }

    /** What a delivery of {@code attempt} for a stage should do, given the ledger. */
    public enum Decision {
        /** A newer attempt than any seen, or one released after a failure that changed nothing: go ahead. */
        CLAIM,
        /** The same attempt, whose invocation's deadline has passed without finishing it: it died; take over. */
        TAKE_OVER,
        /** The same attempt is held by an invocation whose lease has not run out: ask for this copy again later. */
        BUSY,
        /** The same attempt was finished already: drop this duplicate. */
        DONE,
        /** An older attempt than one seen: drop it. */
        STALE
    }

    public RunRecord {
        stages = stages == null ? Map.of() : Map.copyOf(stages);
        history = history == null ? List.of() : List.copyOf(history);
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
    }

    public static RunRecord requested(String runId, JsonNode request, Instant now) {
        return new RunRecord(runId, RunState.REQUESTED, null, request, null, null, Map.of(),
                List.of(new Transition(RunState.REQUESTED, now, null)), now, now, null, Map.of(), null, null);
    }

    /** Moves to {@code next}; moving to the current state is a no-op, any move the table forbids throws. */
    public RunRecord moveTo(RunState next, String why, Instant now) {
        if (next == state) {
            return this;
        }
        if (!state.canMoveTo(next)) {
            throw new LedgerException.IllegalTransition(runId, state, next);
        }
        String reason = Reasons.cut(why);
        List<Transition> moved = new ArrayList<>(history);
        moved.add(new Transition(next, now, reason));
        return new RunRecord(runId, next, reason, request, jobRequestId, taskRunKey, stages, moved, created, now, lastError, files, nudgedAt, series);
    }

    public int attempt(Stage stage) {
        Claim claim = stages.get(stage);
        return claim == null ? 0 : claim.attempt();
    }

    /** Whether a message for this attempt is older than one already seen. */
    public boolean isStale(Stage stage, int attempt) {
        return attempt < attempt(stage);
    }

    public Decision decide(Stage stage, int attempt, Instant now) {
        Claim claim = stages.get(stage);
        if (claim == null || attempt > claim.attempt()) {
            return Decision.CLAIM;
        }
        if (attempt < claim.attempt()) {
            return Decision.STALE;
        }
        if (claim.done()) {
            return Decision.DONE;
        }
        if (claim.leaseUntil() == null) {
            return Decision.CLAIM;
        }
        return now.isBefore(claim.leaseUntil()) ? Decision.BUSY : Decision.TAKE_OVER;
    }

    /** Holds {@code attempt} of {@code stage} until {@code leaseUntil} (the handling invocation's deadline). */
    public RunRecord claim(Stage stage, int attempt, Instant leaseUntil, Instant now) {
        return withClaim(stage, new Claim(attempt, leaseUntil, false, faultsOf(stage, attempt)), now);
    }

    /** Unexpected errors counted so far for {@code attempt} of {@code stage}. */
    public int faultsOf(Stage stage, int attempt) {
        Claim claim = stages.get(stage);
        return claim != null && claim.attempt() == attempt ? claim.faults() : 0;
    }

    /**
     * Counts one unexpected error of {@code attempt}; with {@code release} the attempt is also given back, so
     * that a redelivery may claim it. A no-op when a newer attempt has claimed the stage or this one is done.
     */
    public RunRecord withFault(Stage stage, int attempt, boolean release, Instant now) {
        Claim claim = stages.get(stage);
        if (claim != null && (claim.attempt() > attempt || (claim.attempt() == attempt && claim.done()))) {
            return this;
        }
        Instant lease = claim != null && claim.attempt() == attempt && !release ? claim.leaseUntil() : null;
        return withClaim(stage, new Claim(attempt, lease, false, faultsOf(stage, attempt) + 1), now);
    }

    /** Notes that a sweep re-sent a stage's message now. */
    public RunRecord nudged(Instant now) {
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, stages, history, created, now, lastError, files, now, series);
    }

    /** Marks {@code attempt} as done; a no-op when a newer attempt has claimed the stage meanwhile. */
    public RunRecord finish(Stage stage, int attempt, Instant now) {
        return attempt(stage) == attempt ? withClaim(stage, new Claim(attempt, null, true, faultsOf(stage, attempt)), now) : this;
    }

    /**
     * Gives {@code attempt} back after a failure that changed nothing, so that a redelivery may claim it again;
     * a no-op when a newer attempt has claimed the stage meanwhile.
     */
    public RunRecord release(Stage stage, int attempt, Instant now) {
        Claim claim = stages.get(stage);
        return claim != null && claim.attempt() == attempt && !claim.done() ? withClaim(stage, new Claim(attempt, null, false, claim.faults()), now) : this;
    }

    /** Records that {@code attempt} of {@code stage} was seen; an older attempt throws {@link LedgerException.StaleAttempt}. */
    public RunRecord withAttempt(Stage stage, int attempt, Instant now) {
        if (isStale(stage, attempt)) {
            throw new LedgerException.StaleAttempt(runId, stage, attempt, attempt(stage));
        }
        return withClaim(stage, new Claim(attempt, null, false, 0), now);
    }

    private RunRecord withClaim(Stage stage, Claim claim, Instant now) {
        Map<Stage, Claim> next = new EnumMap<>(Stage.class);
        next.putAll(stages);
        next.put(stage, claim);
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, next, history, created, now, lastError, files, nudgedAt, series);
    }

    public RunRecord withJobRequestId(String id, Instant now) {
        return new RunRecord(runId, state, reason, request, id, taskRunKey, stages, history, created, now, lastError, files, nudgedAt, series);
    }

    public RunRecord withTaskRunKey(String key, Instant now) {
        return new RunRecord(runId, state, reason, request, jobRequestId, key, stages, history, created, now, lastError, files, nudgedAt, series);
    }

    public RunRecord withLastError(String error, Instant now) {
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, stages, history, created, now, Reasons.cut(error), files, nudgedAt, series);
    }

    /** Records an output file as landed (replacing an earlier record of the same file). */
    public RunRecord withLandedFile(LandedFile file, Instant now) {
        java.util.LinkedHashMap<String, LandedFile> next = new java.util.LinkedHashMap<>(files);
        next.put(file.source(), file);
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, stages, history, created, now, lastError, next, nudgedAt, series);
    }

    /** The run with its place in a series. */
    public RunRecord withSeries(Series next, Instant now) {
        return new RunRecord(runId, state, reason, request, jobRequestId, taskRunKey, stages, history, created, now, lastError, files, nudgedAt, next);
    }

    /** How many objects the run has landed so far, over all its files. */
    public int landedObjects() {
        return files.values().stream().mapToInt(f -> f.objects().size()).sum();
    }

    /** How many bytes the run has landed so far, over all its objects. */
    public long landedBytes() {
        return files.values().stream().flatMap(f -> f.objects().stream()).mapToLong(LandedObject::size).sum();
    }

    /** When the run reached {@code reached}, if it did. */
    public java.util.Optional<Instant> reachedAt(RunState reached) {
        return history.stream().filter(t -> t.state() == reached).map(Transition::at).findFirst();
    }
}
