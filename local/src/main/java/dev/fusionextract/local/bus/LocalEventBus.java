package dev.fusionextract.local.bus;

import com.fnproject.fn.api.Headers;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.runtime.ReadOnceInputEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * OCI Events and Notifications on a laptop, with their semantics: deliveries are asynchronous and at least once;
 * a handler's function error is delivered again with exponential backoff (1, 2, 4, ... minutes in OCI, scaled
 * down here), and dropped after the last attempt; optionally every message is delivered twice, or late. Handlers
 * get the same input Fn gives them: the body, the Notifications headers, a call id and a deadline.
 */
public final class LocalEventBus implements AutoCloseable {

    /** How the bus behaves. */
    public record Options(int maxAttempts, Duration firstRetry, boolean duplicate, Duration maxExtraDelay, Duration functionTimeout,
                          int concurrency) {
        /** Deliveries run concurrently, up to 12 at once (Events and Notifications invoke functions in parallel). */
        public static Options ociLike() {
            return new Options(8, Duration.ofMillis(200), false, Duration.ZERO, Duration.ofSeconds(300), 12);
        }

        public Options duplicating() {
            return new Options(maxAttempts, firstRetry, true, maxExtraDelay, functionTimeout, concurrency);
        }

        public Options reordering(Duration upTo) {
            return new Options(maxAttempts, firstRetry, duplicate, upTo, functionTimeout, concurrency);
        }
    }

    /** One delivery made: where, which attempt, and what the handler answered. */
    public record Delivery(String route, int attempt, int status, String body, String reply, Instant at, Duration took) {
    }

    private final Options options;
    private final RandomGenerator random;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger pending = new AtomicInteger();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<Consumer<Delivery>> watchers = new CopyOnWriteArrayList<>();

    private volatile java.time.Clock clock = java.time.Clock.systemUTC();

    public LocalEventBus(Options options) {
        this(options, new Random());
    }

    /** With the random source that picks each message's extra delay when reordering. */
    public LocalEventBus(Options options, RandomGenerator random) {
        this.options = options;
        this.scheduler = Executors.newScheduledThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "event-bus");
            t.setDaemon(true);
            return t;
        });
        this.random = random;
    }

    /** Called after every delivery (for a live view). */
    /**
     * Reads invocation deadlines ({@code Fn-Deadline}) from {@code clock}: the functions compare them with their own
     * clock, so a stack on a shifted clock needs its bus on the same one.
     */
    public LocalEventBus deadlinesOn(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    public void watch(Consumer<Delivery> watcher) {
        watchers.add(watcher);
    }

    /** Delivers {@code body} to {@code handler}, as Events or Notifications would (twice when duplicating). */
    public void publish(String route, String body, Map<String, String> headers, Function<InputEvent, OutputEvent> handler) {
        int copies = options.duplicate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            schedule(route, body, headers, handler, 1, jitter());
        }
    }

    private Duration jitter() {
        long max = options.maxExtraDelay().toMillis();
        return max <= 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(max + 1));
    }

    private void schedule(String route, String body, Map<String, String> headers, Function<InputEvent, OutputEvent> handler, int attempt,
                          Duration delay) {
        pending.incrementAndGet();
        scheduler.schedule(() -> {
            try {
                deliver(route, body, headers, handler, attempt);
            } finally {
                pending.decrementAndGet();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void deliver(String route, String body, Map<String, String> headers, Function<InputEvent, OutputEvent> handler, int attempt) {
        InputEvent input = new ReadOnceInputEvent(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), Headers.fromMap(headers),
                "local-" + UUID.randomUUID(), clock.instant().plus(options.functionTimeout()));
        int status;
        String reply;
        long began = System.nanoTime();
        try {
            OutputEvent out = handler.apply(input);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.writeToOutput(bytes);
            reply = bytes.toString(StandardCharsets.UTF_8);
            status = out.getStatus() == OutputEvent.Status.Success ? 200 : 502;
        } catch (IOException | RuntimeException e) {
            // Fn answers a handler that throws with 502, and so does the bus.
            reply = e.getClass().getSimpleName() + ": " + e.getMessage();
            status = 502;
        }
        Delivery delivery = new Delivery(route, attempt, status, body, reply, Instant.now(), Duration.ofNanos(System.nanoTime() - began));
        deliveries.add(delivery);
        watchers.forEach(w -> w.accept(delivery));
        if (status != 200 && attempt < options.maxAttempts()) {
            long backoff = options.firstRetry().toMillis() << Math.min(attempt - 1, 16);
            schedule(route, body, headers, handler, attempt + 1, Duration.ofMillis(backoff));
        }
    }

    /** Waits until nothing is queued or running, or {@code max} has passed; true when quiet. */
    public boolean awaitQuiet(Duration max) throws InterruptedException {
        Instant end = Instant.now().plus(max);
        while (Instant.now().isBefore(end)) {
            if (pending.get() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return pending.get() == 0;
    }

    /** Whether nothing is queued, waiting for a retry or running now. */
    public boolean quiet() {
        return pending.get() == 0;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
