package dev.fusionextract.local.bus;

import com.fnproject.fn.api.OutputEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalEventBusTest {

    private static final LocalEventBus.Options FAST = new LocalEventBus.Options(4, Duration.ofMillis(5), false, Duration.ZERO,
            Duration.ofSeconds(300));

    private static OutputEvent answer(boolean ok) {
        return OutputEvent.fromBytes("{}".getBytes(StandardCharsets.UTF_8), ok ? OutputEvent.Status.Success : OutputEvent.Status.FunctionError,
                "application/json");
    }

    @Test
    void aFunctionErrorIsDeliveredAgainUntilItSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (LocalEventBus bus = new LocalEventBus(FAST)) {
            bus.publish("t", "body", Map.of(), input -> answer(calls.incrementAndGet() >= 3));
            assertTrue(bus.awaitQuiet(Duration.ofSeconds(10)));
            assertEquals(3, calls.get());
            assertEquals(java.util.List.of(502, 502, 200), bus.deliveries().stream().map(LocalEventBus.Delivery::status).toList());
        }
    }

    @Test
    void aMessageIsDroppedAfterTheLastAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (LocalEventBus bus = new LocalEventBus(FAST)) {
            bus.publish("t", "body", Map.of(), input -> {
                calls.incrementAndGet();
                throw new IllegalStateException("handler crashed");
            });
            assertTrue(bus.awaitQuiet(Duration.ofSeconds(10)));
            assertEquals(4, calls.get());
        }
    }

    @Test
    void duplicatingDeliversEveryMessageTwiceWithItsHeadersAndADeadline() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (LocalEventBus bus = new LocalEventBus(FAST.duplicating().reordering(Duration.ofMillis(20)))) {
            bus.publish("t", "body", Map.of("X-OCI-NS-MessageId", "m-1"), input -> {
                calls.incrementAndGet();
                assertEquals("m-1", input.getHeaders().get("X-OCI-NS-MessageId").orElseThrow());
                assertTrue(input.getDeadline().isAfter(java.time.Instant.now()));
                return answer(true);
            });
            assertTrue(bus.awaitQuiet(Duration.ofSeconds(10)));
            assertEquals(2, calls.get());
        }
    }

    @Test
    void reorderingLetsALaterMessageArriveFirst() throws Exception {
        java.util.Deque<Long> delays = new java.util.ArrayDeque<>(java.util.List.of(300L, 0L));
        java.util.random.RandomGenerator chosen = new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return Math.min(delays.poll(), bound - 1);
            }
        };
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LocalEventBus bus = new LocalEventBus(FAST.reordering(Duration.ofMillis(300)), chosen)) {
            for (String body : new String[]{"first", "second"}) {
                bus.publish("t", body, Map.of(), input -> {
                    order.add(body);
                    return answer(true);
                });
            }
            assertTrue(bus.awaitQuiet(Duration.ofSeconds(10)));
        }
        assertEquals(java.util.List.of("second", "first"), order);
    }
}
