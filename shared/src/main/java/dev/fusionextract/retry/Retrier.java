package dev.fusionextract.retry;

import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Runs a call under a {@link RetryPolicy}. Retries {@link TransientException}s and I/O errors (refused or reset
 * connections, timeouts); anything else, {@link dev.fusionextract.failure.PermanentException}s included, goes
 * straight to the caller. When the attempts or the time run out, the last failure is reported as a
 * {@link TransientException} so that a caller further up (a redelivered message) may still try again later.
 */
public final class Retrier {

    /** A call that may fail. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws IOException;
    }

    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final JsonLog log;

    public Retrier(RetryPolicy policy, Clock clock, Sleeper sleeper, DoubleSupplier random, JsonLog log) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.log = log;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** @param what names the call in messages, e.g. "IDCS token request" */
    public <T> T call(String what, Call<T> call) {
        Instant start = clock.instant();
        for (int attempt = 1; ; attempt++) {
            TransientException failure;
            try {
                return call.run();
            } catch (InterruptedIOException e) {
                Thread.currentThread().interrupt();
                throw new TransientException(what + " was interrupted", e);
            } catch (IOException e) {
                failure = new TransientException(what + " failed: " + describe(e), e);
            } catch (UncheckedIOException e) {
                failure = new TransientException(what + " failed: " + describe(e.getCause()), e.getCause());
            } catch (TransientException e) {
                failure = e;
            }
            Optional<Duration> asked = failure.retryAfter();
            int failures = attempt;
            Duration wait = asked.orElseGet(() -> jitter(policy.ceiling(failures)));
            Duration elapsed = Duration.between(start, clock.instant());
            if (attempt >= policy.maxAttempts()) {
                throw gaveUp(what, attempt, elapsed, failure, "no attempts left");
            }
            if (elapsed.plus(wait).compareTo(policy.maxElapsed()) > 0) {
                throw gaveUp(what, attempt, elapsed, failure, asked.isPresent()
                        ? "the server asked to wait " + asked.get().toSeconds() + "s, past the retry time limit"
                        : "the retry time limit is reached");
            }
            log.warn("retrying", "what", what, "attempt", attempt, "waitMillis", wait.toMillis(), "error", failure.getMessage());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientException(what + " was interrupted while waiting to retry", e);
            }
        }
    }

    private Duration jitter(Duration ceiling) {
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling.toMillis()));
    }

    private static TransientException gaveUp(String what, int attempts, Duration elapsed, TransientException last, String why) {
        return new TransientException(what + " gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + " in " + elapsed.toSeconds() + "s (" + why + "); last error: " + last.getMessage(), last,
                last.retryAfter().orElse(null));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }
}
