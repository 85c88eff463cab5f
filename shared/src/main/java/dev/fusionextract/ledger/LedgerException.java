package dev.fusionextract.ledger;

import dev.fusionextract.failure.PermanentException;

/** Typed refusals of the ledger: both are permanent, and a handler answers them without retrying. */
public final class LedgerException {

    private LedgerException() {
    }

    /** A move the state table does not allow, e.g. FAILED → RUNNING. */
    public static final class IllegalTransition extends PermanentException {
        public IllegalTransition(String runId, RunState from, RunState to) {
            super("Run " + runId + " cannot move from " + from + " to " + to + ".");
        }
    }

    /** A message for an attempt older than the one the ledger has already seen: a late duplicate, to drop. */
    public static final class StaleAttempt extends PermanentException {
        private final int recorded;

        public StaleAttempt(String runId, Stage stage, int attempt, int recorded) {
            super("Run " + runId + ": " + stage + " attempt " + attempt + " is stale, attempt " + recorded + " was already seen.");
            this.recorded = recorded;
        }

        public int recorded() {
            return recorded;
        }
    }
}
