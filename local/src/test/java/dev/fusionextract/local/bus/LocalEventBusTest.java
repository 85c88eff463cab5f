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
            Duration.ofSeconds(300), 3);

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
    void deliveriesRunConcurrentlyUpToTheLimitEachInAContainerOfItsOwn() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        java.util.concurrent.CountDownLatch threeIn = new java.util.concurrent.CountDownLatch(3);
        java.util.Set<Object> containersSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Containers containers = new Containers(() -> {
            Object container = new Object();
            return input -> {
                containersSeen.add(container);
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                threeIn.countDown();
                try {
                    threeIn.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                return answer(true);
            };
        });
        try (LocalEventBus bus = new LocalEventBus(FAST)) {
            for (int i = 0; i < 6; i++) {
                bus.publish("t", "body-" + i, Map.of(), containers);
            }
            assertTrue(bus.awaitQuiet(Duration.ofSeconds(10)));
        }
        assertEquals(3, most.get(), "three at once, the bus's limit, and never more");
        assertEquals(3, containers.started(), "a container per concurrent invocation, reused after");
        assertEquals(3, containersSeen.size());
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
