package dev.fusionextract.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.model.BmcException;
import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.ledger.LedgerException;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.oci.OciCalls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The failure contract, in the one place every stage runs through. A stage reads its input, names the run and
 * attempt it is about ({@link Delivery#about}), claims it ({@link Delivery#claim}) and works; whatever it throws,
 * Errors included, ends here:
 * <ul>
 *   <li>one ERROR log line with run id, stage, attempt and reason;</li>
 *   <li>transient ({@link TransientException}): the claim is given back, the reason kept as the run's last error,
 *       and the delivery answered as a function error so that OCI delivers it again;</li>
 *   <li>permanent ({@link PermanentException}): the stage's clean-ups run (open uploads aborted, objects of the
 *       unfinished file removed), the run ends FAILED with the reason, its claim is released, STATUS is published;</li>
 *   <li>anything else: counted in the ledger against the attempt and treated as transient, until the
 *       {@value #MAX_UNEXPECTED}th time, when the run ends FAILED with the error's own message.</li>
 * </ul>
 * A reason never lives only in a reply: Fn answers a function error with a bare 502. Every reply, ledger reason
 * and message passes the redactor and is cut to {@link Reasons#MAX_CHARS}.
 */
public final class StageRunner {

    /** Deliveries of one attempt that may end in an unexpected error before the run is failed. */
    public static final int MAX_UNEXPECTED = 3;

    /** A stage's work for one delivery. */
    @FunctionalInterface
    public interface Work {
        Reply run(Delivery delivery);
    }

    /** What one delivery is about, as far as it is known, and what to undo if it fails for good. */
    public final class Delivery {
        private String runId;
        private Stage stage;
        private int attempt;
        private boolean claimed;
        private JsonLog runLog;
        private final List<Runnable> cleanups = new ArrayList<>();

        private Delivery(Stage defaultStage) {
            this.stage = defaultStage;
            this.runLog = log.with("stage", defaultStage);
        }

        /** The run and attempt this delivery works on; returns the log with them as context. */
        public JsonLog about(String run, Stage which, int number) {
            this.runId = run;
            this.stage = which;
            this.attempt = number;
            this.runLog = log.with("stage", which).with("runId", run).with("attempt", number);
            return runLog;
        }

        /** Claims the attempt until {@code leaseUntil}; only a granted claim is given back on failure. */
        public RunRecord.Decision claim(Instant leaseUntil, boolean takeOver) {
            RunRecord.Decision decision = components.ledger().claim(runId, stage, attempt, leaseUntil, takeOver);
            claimed = decision == RunRecord.Decision.CLAIM || (takeOver && decision == RunRecord.Decision.TAKE_OVER);
            return decision;
        }

        /** Runs {@code cleanup} before the run is failed for good (abort uploads, delete half-landed objects). */
        public void onFailure(Runnable cleanup) {
            cleanups.add(cleanup);
        }
    }

    private final Components components;
    private final JsonLog log;

    public StageRunner(Components components) {
        this.components = components;
        this.log = components.log();
    }

    /** Runs {@code work} under the contract; the answer is always a normal {@link Reply}, never a throwable. */
    public Reply run(Stage stage, Work work) {
        Delivery delivery = new Delivery(stage);
        Reply reply;
        try {
            reply = work.run(delivery);
        } catch (Throwable error) {
            reply = failed(delivery, error);
        }
        return reply.redacted(log.redactor());
    }

    private Reply failed(Delivery d, Throwable thrown) {
        Throwable error = classify(thrown);
        String reason = Reasons.cut(error instanceof TransientException || error instanceof PermanentException ? error.getMessage()
                : Reasons.of(error));
        d.runLog.error("stage failed", error, "reason", reason, "kind", kind(error));
        if (d.runId == null) {
            // Not about a run (malformed input, an event for nobody): nothing to record; say so in the answer.
            if (error instanceof PermanentException) {
                ObjectNode body = Reply.object();
                body.put("error", reason);
                return Reply.done(body);
            }
            return Reply.retry(reason);
        }
        try {
            if (error instanceof TransientException) {
                try {
                    giveBack(d, reason);
                } catch (LedgerException.Missing notYet) {
                    // the run was never recorded: nothing to give back
                }
                return withRun(Reply.retry(reason), d);
            }
            if (error instanceof PermanentException) {
                return endFailed(d, reason);
            }
            RunRecord counted = components.ledger().update(d.runId, r -> r.withFault(d.stage, d.attempt, d.claimed,
                    components.clock().instant()).withLastError(reason, components.clock().instant())).record();
            int faults = counted.faultsOf(d.stage, d.attempt);
            if (faults >= MAX_UNEXPECTED) {
                return endFailed(d, "Unexpected error in " + d.stage + " attempt " + d.attempt + ", " + faults + " deliveries in a row: "
                        + reason + ". Report it with the functions' log lines of this run; start the extract again with a new request.");
            }
            return withRun(Reply.retry(reason + " (unexpected error " + faults + " of " + MAX_UNEXPECTED + " before the run fails)"), d);
        } catch (LedgerException.Missing | LedgerException.Corrupt ledgerTrouble) {
            return endFailed(d, reason);
        } catch (Throwable recording) {
            // The ledger itself cannot be written now: ask for the delivery again, the reason is in the log.
            d.runLog.error("the failure could not be recorded; asking for redelivery", recording, "reason", Reasons.of(recording));
            return withRun(Reply.retry(reason), d);
        }
    }

    /**
     * OCI's own refusals arrive as {@link BmcException}: retryable statuses are transient, any other answer (403,
     * 404, 409, ...) will not change by itself, so it is permanent, with the operation and OCI's code kept.
     */
    static Throwable classify(Throwable error) {
        if (error instanceof BmcException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            String what = "An OCI call failed with HTTP " + e.getStatusCode() + " (" + e.getServiceCode() + "): " + message;
            if (OciCalls.retryable(e)) {
                return new TransientException(what, e);
            }
            return new PermanentException(what + " Check that the bucket, topic, secret or workspace exists and that the function's "
                    + "policy allows the call.", e);
        }
        if (error instanceof java.io.UncheckedIOException e) {
            return new TransientException("An I/O failure: " + e.getCause().getMessage(), e);
        }
        return error;
    }

    private void giveBack(Delivery d, String reason) {
        components.ledger().update(d.runId, r -> {
            RunRecord next = d.claimed ? r.release(d.stage, d.attempt, components.clock().instant()) : r;
            return next.withLastError(reason, components.clock().instant());
        });
    }

    /**
     * Ends the run FAILED with {@code reason}, for a stage that decided so without throwing: one ERROR line, then
     * as for a permanent failure.
     */
    public Reply failRun(Delivery d, String reason) {
        d.runLog.error("run failed", null, "reason", Reasons.cut(reason));
        return endFailed(d, reason);
    }

    /**
     * Ends the run FAILED with {@code reason}: clean-ups first (nothing half-written stays), then the ledger (a
     * deleted or unreadable record is written anew, FAILED), then STATUS. A run that has already ended keeps its
     * state.
     */
    private Reply endFailed(Delivery d, String reason) {
        for (Runnable cleanup : d.cleanups) {
            try {
                cleanup.run();
            } catch (Throwable e) {
                d.runLog.error("clean-up after a failure did not complete", e, "reason", Reasons.of(e));
            }
        }
        Instant now = components.clock().instant();
        RunLedger ledger = components.ledger();
        RunRecord record;
        AtomicBoolean endedNow = new AtomicBoolean(true);
        try {
            record = ledger.update(d.runId, r -> {
                RunRecord finished = r.finish(d.stage, d.attempt, now);
                endedNow.set(r.state().canMoveTo(RunState.FAILED));
                return endedNow.get() ? finished.moveTo(RunState.FAILED, reason, now) : finished;
            }).record();
        } catch (LedgerException.Missing missing) {
            record = RunRecord.requested(d.runId, null, now).moveTo(RunState.FAILED, reason + " (The run's ledger record had "
                    + "disappeared and was written anew.)", now);
            ledger.create(record);
        } catch (LedgerException.Corrupt corrupt) {
            record = RunRecord.requested(d.runId, null, now).moveTo(RunState.FAILED, reason + " (The run's ledger record was "
                    + "unreadable; it was kept as " + RunLedger.objectName(d.runId) + ".corrupt and written anew.)", now);
            ledger.replaceCorrupt(corrupt, record);
        }
        if (endedNow.get()) {
            publishStatus(d, RunState.FAILED, record.reason());
        } else {
            d.runLog.info("run had already ended; its state is kept", "state", record.state());
        }
        ObjectNode body = Reply.object();
        body.put("runId", d.runId);
        body.put("state", record.state().name());
        body.put("reason", record.state() == RunState.FAILED ? record.reason() : reason);
        return Reply.done(body);
    }

    /** Publishes STATUS for the delivery's run, which ended (best effort, see {@link Components#publishStatus}). */
    public void publishStatus(Delivery d, RunState state, String reason) {
        components.publishStatus(new StageMessage.Status(d.runId, state, reason));
    }

    private static Reply withRun(Reply reply, Delivery d) {
        reply.body().put("runId", d.runId);
        return reply;
    }

    private static String kind(Throwable error) {
        if (error instanceof TransientException) {
            return "transient";
        }
        if (error instanceof InvalidRequestException) {
            return "invalid";
        }
        return error instanceof PermanentException ? "permanent" : "unexpected";
    }
}
