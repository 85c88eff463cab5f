package dev.fusionextract.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Real time, shifted: it runs at the wall clock's pace from wherever it was last moved to. */
public final class ShiftedClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public ShiftedClock(Clock base) {
        this.base = base;
    }

    /** From now on this clock reads {@code at}, and runs on from there. */
    public void jumpTo(Instant at) {
        offset = Duration.between(base.instant(), at);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a shifted clock reads UTC");
    }
}
