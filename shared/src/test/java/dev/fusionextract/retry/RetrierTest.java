package dev.fusionextract.retry;

import dev.fusionextract.failure.HttpFailure;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.testing.ManualTime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrierTest {

    private final ManualTime time = new ManualTime();
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(60));

    private Retrier retrier(double random) {
        return new Retrier(policy, time, time, () -> random, JsonLog.discard());
    }

    @Test
    void retriesTransientFailuresUntilTheCallSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = retrier(0.5).call("test call", () -> {
            if (calls.incrementAndGet() < 3) {
                throw HttpFailure.of(503, "test call", "", null);
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(3, calls.get());
        assertEquals(2, time.sleeps().size());
    }

    @Test
    void retriesConnectionFailures() {
        AtomicInteger calls = new AtomicInteger();
        retrier(0.5).call("test call", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new ConnectException("Connection refused");
            }
            return 1;
        });
        assertEquals(2, calls.get());
    }

    @Test
    void retriesEachRetryableStatusAndNoOther4xx() {
        for (int status : List.of(429, 500, 502, 503, 504)) {
            assertTrue(HttpFailure.of(status, "x", "", null).retryable(), "status " + status);
        }
        for (int status : List.of(400, 401, 403, 404, 409, 412, 422)) {
            AtomicInteger calls = new AtomicInteger();
            assertThrows(PermanentException.class, () -> retrier(0.5).call("x", () -> {
                calls.incrementAndGet();
                throw HttpFailure.of(status, "x", "", null);
            }));
            assertEquals(1, calls.get(), "status " + status + " must not be retried");
        }
    }

    @Test
    void waitsWithFullJitterUnderADoublingCeiling() {
        assertThrows(TransientException.class, () -> retrier(0.5).call("x", () -> {
            throw new IOException("reset");
        }));
        // ceilings 100, 200, 400, 800 ms; half of each with random 0.5
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), time.sleeps());
    }

    @Test
    void neverWaitsLongerThanTheMaximumDelay() {
        RetryPolicy longRun = new RetryPolicy(12, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofHours(1));
        assertThrows(TransientException.class, () -> new Retrier(longRun, time, time, () -> 0.999, JsonLog.discard())
                .call("x", () -> {
                    throw new IOException("reset");
                }));
        assertTrue(time.sleeps().stream().allMatch(d -> d.compareTo(Duration.ofSeconds(2)) < 0), time.sleeps().toString());
    }

    @Test
    void honoursRetryAfterInsteadOfJitter() {
        AtomicInteger calls = new AtomicInteger();
        retrier(0.0).call("x", () -> {
            if (calls.incrementAndGet() == 1) {
                throw HttpFailure.of(429, "x", "", Duration.ofSeconds(7));
            }
            return 1;
        });
        assertEquals(List.of(Duration.ofSeconds(7)), time.sleeps());
    }

    @Test
    void givesUpAfterTheLastAttemptWithATransientErrorNamingTheCall() {
        AtomicInteger calls = new AtomicInteger();
        TransientException e = assertThrows(TransientException.class, () -> retrier(0.5).call("Reading job 42", () -> {
            calls.incrementAndGet();
            throw HttpFailure.of(500, "Reading job 42", "boom", null);
        }));
        assertEquals(5, calls.get());
        assertTrue(e.getMessage().startsWith("Reading job 42 gave up after 5 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 500: boom"), e.getMessage());
    }

    @Test
    void givesUpWhenRetryAfterReachesPastTheTimeLimit() {
        AtomicInteger calls = new AtomicInteger();
        TransientException e = assertThrows(TransientException.class, () -> retrier(0.5).call("x", () -> {
            calls.incrementAndGet();
            throw HttpFailure.of(503, "x", "", Duration.ofMinutes(5));
        }));
        assertEquals(1, calls.get());
        assertTrue(time.sleeps().isEmpty());
        assertTrue(e.getMessage().contains("asked to wait 300s"), e.getMessage());
    }

    @Test
    void stopsWhenTheTotalTimeIsSpent() {
        RetryPolicy shortLimit = new RetryPolicy(100, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5));
        AtomicInteger calls = new AtomicInteger();
        assertThrows(TransientException.class, () -> new Retrier(shortLimit, time, time, () -> 0.999, JsonLog.discard())
                .call("x", () -> {
                    calls.incrementAndGet();
                    time.advance(Duration.ofMillis(500)); // each attempt itself takes time too
                    throw new IOException("reset");
                }));
        assertTrue(calls.get() < 10, "calls " + calls.get());
        Duration spent = time.sleeps().stream().reduce(Duration.ZERO, Duration::plus).plusMillis(500L * calls.get());
        assertTrue(spent.compareTo(Duration.ofSeconds(5)) <= 0, "spent " + spent);
    }

    @Test
    void passesPermanentFailuresStraightThrough() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(PermanentException.class, () -> retrier(0.5).call("x", () -> {
            calls.incrementAndGet();
            throw new PermanentException("bad input");
        }));
        assertEquals(1, calls.get());
    }
}
