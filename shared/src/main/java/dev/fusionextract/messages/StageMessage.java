package dev.fusionextract.messages;

import dev.fusionextract.failure.Reasons;
import dev.fusionextract.ledger.RunState;

/**
 * What the stages tell each other through OCI Notifications: references only (run id, job id, attempt,
 * cursor), never data or secrets, one type per topic. Versioned: a message of another version is refused.
 */
public sealed interface StageMessage permits StageMessage.Poll, StageMessage.Transfer, StageMessage.Status {

    int VERSION = 1;

    /** The highest attempt a message may carry: a stage that has handed over this often ends the run instead. */
    int MAX_ATTEMPT = 100_000;
    /** The most transfer workers one run may have (TRANSFER_WORKERS); the lead is worker 1. */
    int MAX_WORKERS = 16;

    String runId();

    /** Asks poll-function to check a job until it ends; {@code attempt} counts the invocations. */
    record Poll(String runId, JobSystem system, String jobId, int attempt) implements StageMessage {
    }

    /** Asks transfer-function to land a finished job's files; {@code cursor} continues an interrupted transfer. */
    record Transfer(String runId, String jobRequestId, int attempt, String cursor, Integer worker) implements StageMessage {

        /** The lead's message (from poll-function, a continuation, the sweep): no worker number. */
        public Transfer(String runId, String jobRequestId, int attempt, String cursor) {
            this(runId, jobRequestId, attempt, cursor, null);
        }
    }

    /** Tells whoever listens that a run ended, and why. */
    record Status(String runId, RunState state, String reason) implements StageMessage {
        public Status {
            reason = Reasons.cut(reason);
        }
    }
}
