package dev.fusionextract.testing;

import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import dev.fusionextract.emulator.oci.OciEmulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Notifications as the tests play it, deterministically: messages published to a routed topic are queued and
 * delivered one by one on the test's thread; a function error is delivered again, at once and then after 1, 2,
 * 4, ... minutes of the fixture's manual clock, eight deliveries in all; with {@link #duplicateEverything()} each
 * message is delivered twice, with {@link #reorderEverything()} the newest first.
 */
public final class Deliveries {

    /** One delivery of one message to one handler. */
    public record Delivery(String topic, String body, int status, String reply) {
    }

    private record Pending(String topic, String body, int tries) {
    }

    private final ChainFixture fixture;
    private final Map<String, Function<InputEvent, OutputEvent>> handlers = new HashMap<>();
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final List<Delivery> delivered = new ArrayList<>();
    private final Map<String, Integer> received = new HashMap<>();
    private boolean duplicate;
    private boolean reorder;
    private int maxTries = 8;

    public Deliveries(ChainFixture fixture) {
        this.fixture = fixture;
    }

    /** Delivers what is published to {@code topic} to {@code handler}. */
    public Deliveries route(String topic, Function<InputEvent, OutputEvent> handler) {
        handlers.put(topic, handler);
        OciEmulator oci = fixture.oci;
        synchronized (queue) {
            received.put(topic, oci.notifications().messages(topic).size()); // what was published before is not ours
        }
        oci.notifications().subscribe(topic, message -> {
            synchronized (queue) {
                received.merge(topic, 1, Integer::sum);
                queue.add(new Pending(topic, message.body(), 0));
                if (duplicate) {
                    queue.add(new Pending(topic, message.body(), 0));
                }
            }
        });
        return this;
    }

    public Deliveries duplicateEverything() {
        this.duplicate = true;
        return this;
    }

    /** Delivers the newest queued message first, so that what was published later can arrive earlier. */
    public Deliveries reorderEverything() {
        this.reorder = true;
        return this;
    }

    /** Delivers one body to a topic's handler now, as OCI Events or a direct call would, and queues what follows. */
    public Delivery deliver(String topic, String body) {
        return invoke(new Pending(topic, body, 0));
    }

    /** Delivers everything queued, and what that publishes, until nothing is left or {@code maxDeliveries} were made. */
    public List<Delivery> drain(int maxDeliveries) {
        int made = 0;
        while (made < maxDeliveries) {
            Pending next;
            awaitHandedOver();
            synchronized (queue) {
                next = reorder ? queue.pollLast() : queue.poll();
            }
            if (next == null) {
                return List.copyOf(delivered);
            }
            invoke(next);
            made++;
        }
        throw new AssertionError("the chain did not settle within " + maxDeliveries + " deliveries: " + delivered);
    }

    private Delivery invoke(Pending pending) {
        if (pending.tries() > 1) {
            // Notifications delivers a failed message again at once, then after 1, 2, 4, ... 32 minutes.
            fixture.time.advance(java.time.Duration.ofMinutes(1L << Math.min(pending.tries() - 2, 5)));
        }
        OutputEvent out = handlers.get(pending.topic()).apply(fixture.invocation(pending.body()));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            out.writeToOutput(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String reply = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        int status = out.getStatus() == OutputEvent.Status.Success ? 200 : 502;
        Delivery delivery = new Delivery(pending.topic(), pending.body(), status, reply);
        delivered.add(delivery);
        if (status != 200 && pending.tries() + 1 < maxTries) {
            synchronized (queue) {
                queue.add(new Pending(pending.topic(), pending.body(), pending.tries() + 1));
            }
        }
        return delivery;
    }

    /** Loses every message queued and not yet delivered, as a lost event or hand-over would; returns their bodies. */
    public List<String> loseQueued() {
        awaitHandedOver();
        synchronized (queue) {
            List<String> lost = queue.stream().map(Pending::body).toList();
            queue.clear();
            return lost;
        }
    }

    /**
     * The emulator hands a message to its subscribers just after answering the publisher, on its own thread: waits
     * (a few seconds at most) until every message recorded on a routed topic has reached this queue.
     */
    private void awaitHandedOver() {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            boolean all;
            synchronized (queue) {
                all = handlers.keySet().stream().allMatch(topic -> received.getOrDefault(topic, 0)
                        >= fixture.oci.notifications().messages(topic).size());
            }
            if (all) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("a published message never reached its subscriber");
    }

    public List<Delivery> delivered() {
        return List.copyOf(delivered);
    }

    public List<Delivery> to(String topic) {
        return delivered.stream().filter(d -> d.topic().equals(topic)).toList();
    }
}
