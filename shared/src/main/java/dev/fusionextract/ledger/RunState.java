package dev.fusionextract.ledger;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Where a run is. REQUESTED → SUBMITTED → RUNNING → TRANSFERRING → LANDED → (LOADING → LOADED); a recurring
 * request is a series, whose parent stays RECURRING while Fusion's schedule runs (SUBMITTED → RECURRING → LANDED
 * or FAILED) and whose occurrences are runs of their own, from SUBMITTED on; FAILED,
 * TIMED_OUT and REJECTED end a run early, each with a reason. A LANDED run whose Data Integration task cannot be
 * started ends FAILED (its files stay landed). The allowed moves are this one table.
 */
public enum RunState {
    REQUESTED, SUBMITTED, RUNNING, RECURRING, TRANSFERRING, LANDED, LOADING, LOADED, FAILED, TIMED_OUT, REJECTED;

    private static final Map<RunState, Set<RunState>> NEXT = Map.ofEntries(
            entry(REQUESTED, EnumSet.of(SUBMITTED, REJECTED, FAILED, TIMED_OUT)),
            entry(SUBMITTED, EnumSet.of(RUNNING, RECURRING, TRANSFERRING, FAILED, TIMED_OUT)),
            // A series: the recurring parent ends LANDED when every occurrence landed, FAILED when one did not.
            entry(RECURRING, EnumSet.of(LANDED, FAILED, TIMED_OUT)),
            entry(RUNNING, EnumSet.of(TRANSFERRING, FAILED, TIMED_OUT)),
            entry(TRANSFERRING, EnumSet.of(LANDED, FAILED, TIMED_OUT)),
            entry(LANDED, EnumSet.of(LOADING, FAILED)),
            entry(LOADING, EnumSet.of(LOADED, FAILED, TIMED_OUT)),
            entry(LOADED, EnumSet.noneOf(RunState.class)),
            entry(FAILED, EnumSet.noneOf(RunState.class)),
            entry(TIMED_OUT, EnumSet.noneOf(RunState.class)),
            entry(REJECTED, EnumSet.noneOf(RunState.class)));

    public boolean canMoveTo(RunState next) {
        return NEXT.get(this).contains(next);
    }

    /** Nothing more will happen to the run (LANDED counts, though a Data Integration load may still follow it). */
    public boolean terminal() {
        return this == LANDED || NEXT.get(this).isEmpty();
    }
}
