package dev.fusionextract.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.ledger.LedgerException;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.objectstore.ObjectListing;
import dev.fusionextract.messages.JobSystem;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.pipeline.Budget;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.transfer.LandingNames;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds and finishes what deliveries alone cannot, with bounded work per call; two sweeps at once do no harm.
 * <ol>
 *   <li>Request objects under REQUEST_PREFIX that never became a run (OCI Events delivers an event to a function
 *       once and documents no redelivery): created more than {@link #GRACE} ago and less than {@link #LOOKBACK}
 *       ago, without a ledger record; they are started as their event would have started them (same run id,
 *       so a late event or a second sweep finds the run).</li>
 *   <li>Runs that have not ended (their {@code active/} markers): one past MAX_RUN_MINUTES in its phase ends
 *       TIMED_OUT, whether or not its job's status can be read; one whose stage has not moved for {@link #GRACE}
 *       (past its lease, if one is held) has its stage's message sent again. Stages are idempotent; the re-send
 *       is recorded with a conditional write first, so of two sweeps only one sends it.</li>
 *   <li>Series (RECURRING runs of a recurring Fusion job): each finished occurrence becomes a run of its own
 *       ({@link SeriesKeeper}); the series ends once Fusion's job has and every occurrence's run has.</li>
 * </ol>
 */
public final class Sweep {

    /** How long a stage may stand still (past its lease) before the sweep steps in; also how long Events gets first. */
    public static final Duration GRACE = Duration.ofMinutes(10);
    /** Request objects older than this are not looked at again. */
    public static final Duration LOOKBACK = Duration.ofHours(48);
    /** One mapper for the container: a mapper is costly to make, and more so on a cold JVM. */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bounds of one sweep. */
    static final int MAX_REQUESTS_LISTED = 10_000;
    static final int MAX_REQUEST_CHECKS = 500;
    static final int MAX_ACTIVE_RUNS = 500;

    private final Components components;
    private final SubmitService submit;
    private final RunLedger ledger;
    private final JsonLog log;
    private final Duration grace;

    Sweep(Components components, SubmitService submit, Duration grace) {
        this.components = components;
        this.submit = submit;
        this.ledger = components.ledger();
        this.log = components.log().with("stage", "SWEEP");
        this.grace = grace;
    }

    /**
     * A sweep from outside a function ({@code fusion-extract sweep}), that steps in after {@code grace} instead of
     * {@link #GRACE}: a person who knows nothing is running may ask for less.
     */
    public static Reply runOnce(Components components, Duration grace, Instant deadline) {
        return new Sweep(components, new SubmitService(components), grace).run(deadline);
    }

    /** A sweep is asked for with {@code {"sweep": true}} (a schedule, {@code fn invoke}, {@code fusion-extract sweep}). */
    static boolean isSweep(JsonNode json) {
        return json != null && json.isObject() && json.path("sweep").asBoolean(false) && json.size() == 1;
    }

    /** What one sweep did. */
    public record Outcome(int requestsChecked, int requestsStarted, int runsChecked, int timedOut, int resent, int markersCleared,
                          int seriesLooked, int occurrencesStarted, int errors, boolean complete) {
    }

    Reply run(Instant deadline) {
        Budget budget = Budget.until(deadline, components.pipeline().deadlineMargin(), components.clock());
        Counts counts = new Counts();
        boolean complete = sweepRequests(deadline, budget, counts) & sweepRuns(deadline, budget, counts);
        Outcome outcome = new Outcome(counts.requestsChecked, counts.requestsStarted, counts.runsChecked, counts.timedOut, counts.resent,
                counts.markersCleared, counts.seriesLooked, counts.occurrencesStarted, counts.errors, complete);
        log.info("sweep done", "requestsChecked", outcome.requestsChecked(), "requestsStarted", outcome.requestsStarted(),
                "runsChecked", outcome.runsChecked(), "timedOut", outcome.timedOut(), "resent", outcome.resent(),
                "seriesLooked", outcome.seriesLooked(), "occurrencesStarted", outcome.occurrencesStarted(),
                "errors", outcome.errors(), "complete", complete);
        ObjectNode body = Reply.object();
        body.set("sweep", JSON.valueToTree(outcome));
        return Reply.done(body);
    }

    private static final class Counts {
        int requestsChecked;
        int requestsStarted;
        int runsChecked;
        int timedOut;
        int resent;
        int markersCleared;
        int seriesLooked;
        int occurrencesStarted;
        int errors;
    }

    /** Returns false when a bound stopped it before the end. */
    private boolean sweepRequests(Instant deadline, Budget budget, Counts counts) {
        String bucket = components.config().oci().controlBucket();
        Instant now = components.clock().instant();
        List<ObjectSummary> listed = ObjectListing.under(components.oci().objectStorage(), components.calls(), components.oci().namespace(),
                bucket, components.pipeline().requestPrefix(), "name,etag,timeCreated", MAX_REQUESTS_LISTED + 1);
        for (ObjectSummary object : listed.subList(0, Math.min(listed.size(), MAX_REQUESTS_LISTED))) {
            if (counts.requestsChecked >= MAX_REQUEST_CHECKS || !budget.fits(Duration.ZERO)) {
                return false;
            }
            Instant created = Optional.ofNullable(object.getTimeCreated()).map(Date::toInstant).orElse(now);
            Duration age = Duration.between(created, now);
            if (!submit.isRequestObject(object.getName()) || object.getEtag() == null || age.compareTo(grace) < 0
                    || age.compareTo(LOOKBACK) > 0) {
                continue;
            }
            counts.requestsChecked++;
            try {
                String runId = SubmitService.runId(bucket, object.getName(), object.getEtag());
                if (ledger.read(runId).isEmpty()) {
                    log.warn("request object never became a run; starting it", "object", object.getName(), "runId", runId);
                    submit.submitRequestObject(object.getName(), object.getEtag(), deadline);
                    counts.requestsStarted++;
                }
            } catch (RuntimeException e) {
                counts.errors++;
                log.error("sweep could not check a request object", e, "object", object.getName(), "reason", Reasons.of(e));
            }
        }
        return listed.size() <= MAX_REQUESTS_LISTED;
    }

    private boolean sweepRuns(Instant deadline, Budget budget, Counts counts) {
        for (String runId : ledger.activeRunIds(MAX_ACTIVE_RUNS)) {
            if (!budget.fits(Duration.ZERO)) {
                return false;
            }
            counts.runsChecked++;
            try {
                sweepRun(runId, deadline, budget, counts);
            } catch (LedgerException.Corrupt e) {
                counts.errors++;
                log.error("sweep found an unreadable ledger record", e, "runId", runId, "reason", e.getMessage());
            } catch (RuntimeException e) {
                counts.errors++;
                log.error("sweep could not look after a run", e, "runId", runId, "reason", Reasons.of(e));
            }
        }
        return true;
    }

    private void sweepRun(String runId, Instant deadline, Budget budget, Counts counts) {
        Instant now = components.clock().instant();
        Optional<RunLedger.Versioned> found = ledger.read(runId);
        if (found.isEmpty() || found.get().record().state().terminal()) {
            // A marker without a live run: the run ended (or its creation failed) before the marker was removed.
            if (found.isPresent() || ledger.markerAge(runId).map(age -> age.compareTo(grace) > 0).orElse(true)) {
                ledger.mark(runId, false);
                counts.markersCleared++;
            }
            return;
        }
        RunRecord run = found.get().record();
        JsonLog runLog = log.with("runId", runId);
        if (run.state() == RunState.RECURRING) {
            // A series is moved along at the sweep's cadence; MAX_RUN_MINUTES applies to each occurrence, not to it.
            counts.seriesLooked++;
            counts.occurrencesStarted += new SeriesKeeper(components).advance(run, budget);
            return;
        }
        Duration inPhase = Duration.between(phaseStart(run), now);
        if (inPhase.compareTo(components.pipeline().maxRun()) >= 0) {
            timeOut(run, inPhase, runLog);
            counts.timedOut++;
            return;
        }
        if (!stalled(run, now, grace)) {
            return;
        }
        if (run.state() == RunState.TRANSFERRING && components.work().lastWritten(runId)
                .map(at -> Duration.between(at, now).compareTo(grace) < 0).orElse(false)) {
            // Transfer workers write their own objects, not the run record: one written lately means they are at work.
            return;
        }
        // Of two sweeps, the one whose conditional write lands first re-sends; the other sees the fresh nudge.
        AtomicBoolean mine = new AtomicBoolean(false);
        ledger.update(runId, r -> {
            mine.set(r.state() == run.state() && stalled(r, now, grace));
            return mine.get() ? r.nudged(now) : r;
        });
        if (!mine.get()) {
            return;
        }
        runLog.warn("run stopped moving; sending its stage's message again", "state", run.state(), "since", run.updated());
        resend(run, deadline);
        counts.resent++;
    }

    /** When the run's current phase began: the clock MAX_RUN_MINUTES runs against. */
    private static Instant phaseStart(RunRecord run) {
        RunState since = switch (run.state()) {
            case SUBMITTED, RUNNING -> RunState.SUBMITTED;
            default -> run.state();
        };
        return run.reachedAt(since).orElse(run.created());
    }

    /** Nothing moved for {@code grace}, no invocation holds the current stage (or its lease ran out that long ago), no recent nudge. */
    static boolean stalled(RunRecord run, Instant now, Duration grace) {
        // A nudge is given grace (at least a second) before the next: of two sweeps at once only one re-sends.
        if (run.nudgedAt() != null && Duration.between(run.nudgedAt(), now).compareTo(grace.isZero() ? Duration.ofSeconds(1) : grace) < 0) {
            return false;
        }
        RunRecord.Claim claim = run.stages().get(currentStage(run));
        if (claim != null && claim.leaseUntil() != null && now.isBefore(claim.leaseUntil().plus(grace))) {
            return false;
        }
        return Duration.between(run.updated(), now).compareTo(grace) >= 0;
    }

    private static Stage currentStage(RunRecord run) {
        return switch (run.state()) {
            case REQUESTED -> Stage.SUBMIT;
            case SUBMITTED, RUNNING -> Stage.POLL;
            case TRANSFERRING -> Stage.TRANSFER;
            default -> Stage.LOAD;
        };
    }

    /** The attempt to send: the held-and-abandoned one again, or the one after the last that was done. */
    private static int nextAttempt(RunRecord run, Stage stage) {
        RunRecord.Claim claim = run.stages().get(stage);
        if (claim == null) {
            return 1;
        }
        return claim.done() ? Math.min(claim.attempt() + 1, StageMessage.MAX_ATTEMPT) : Math.max(1, claim.attempt());
    }

    private void resend(RunRecord run, Instant deadline) {
        switch (run.state()) {
            case REQUESTED -> submit.resubmit(run, deadline);
            case SUBMITTED, RUNNING -> components.publish(components.pipeline().requirePollTopic(),
                    new StageMessage.Poll(run.runId(), JobSystem.FUSION, run.jobRequestId(), nextAttempt(run, Stage.POLL)));
            case TRANSFERRING -> components.publish(components.pipeline().requireTransferTopic(),
                    new StageMessage.Transfer(run.runId(), run.jobRequestId(), nextAttempt(run, Stage.TRANSFER), null));
            case LOADING -> components.publish(components.pipeline().requirePollTopic(),
                    new StageMessage.Poll(run.runId(), JobSystem.DATA_INTEGRATION, run.taskRunKey(), Math.max(1, nextAttempt(run, Stage.LOAD))));
            default -> {
                // terminal states are not swept
            }
        }
    }

    private void timeOut(RunRecord run, Duration inPhase, JsonLog runLog) {
        String reason = "The run stayed " + run.state() + " for " + inPhase.toMinutes() + " minutes (MAX_RUN_MINUTES="
                + components.pipeline().maxRun().toMinutes() + ")" + (run.lastError() == null ? "" : "; last error: " + run.lastError())
                + ". " + advice(run);
        if (run.state() == RunState.TRANSFERRING) {
            // Nothing half-landed stays behind a run that will not finish.
            components.landingCleanup().removeAll(LandingNames.forRun(run, components.pipeline().landingPrefix()).folder());
        }
        AtomicBoolean mine = new AtomicBoolean(false);
        RunRecord ended = ledger.update(run.runId(), r -> {
            mine.set(!r.state().terminal() && r.state().canMoveTo(RunState.TIMED_OUT));
            if (!mine.get()) {
                return r;
            }
            Instant now = components.clock().instant();
            RunRecord timed = r.moveTo(RunState.TIMED_OUT, reason, now);
            for (Stage stage : r.stages().keySet()) {
                timed = timed.finish(stage, r.attempt(stage), now);
            }
            return timed;
        }).record();
        if (mine.get()) {
            runLog.error("run timed out", null, "reason", ended.reason());
            components.publishStatus(new StageMessage.Status(run.runId(), RunState.TIMED_OUT, ended.reason()));
        }
    }

    private static String advice(RunRecord run) {
        return switch (run.state()) {
            case REQUESTED -> "It was never submitted; send the request again.";
            case SUBMITTED, RUNNING -> "Look at Fusion job " + run.jobRequestId() + " in Fusion's Scheduled Processes; raise MAX_RUN_MINUTES "
                    + "if such jobs are expected.";
            case TRANSFERRING -> "Its output was not landed (nothing partial is left); send the request again to land it anew.";
            case LOADING -> "Look at Data Integration task run " + run.taskRunKey() + " in the workspace.";
            default -> "";
        };
    }
}
