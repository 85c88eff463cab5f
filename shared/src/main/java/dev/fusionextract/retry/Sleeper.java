package dev.fusionextract.retry;

import java.time.Duration;

/** Waits. Injected everywhere a wait happens, so tests can advance a clock instead. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
