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

    /** The run's record is not in the ledger (never created, or deleted while the run went on). */
    public static final class Missing extends PermanentException {
        public Missing(String runId, String object) {
            super("Run " + runId + " is not in the ledger (" + object + "): its record was deleted or never written. "
                    + "Nothing more is done for it; start the extract again with a new request if it is still needed.");
        }
    }

    /** The run's record cannot be read as a run record (hand-edited, overwritten, truncated). */
    public static final class Corrupt extends PermanentException {
        private final String etag;

        public Corrupt(String object, String etag, String why) {
            super("Ledger record " + object + " is not a readable run record (" + why + "). Do not edit ledger records by hand; "
                    + "start the extract again with a new request if it is still needed.");
            this.etag = etag;
        }

        public String etag() {
            return etag;
        }
    }
}
