package dev.fusionextract.local.bus;

import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A function's instances as OCI Functions keeps containers: one invocation at a time each; a delivery gets an idle
 * instance, or a new one when all are busy. Concurrent invocations so share nothing in memory (their own clients,
 * their own upload buffers), as they would not in OCI.
 */
public final class Containers implements Function<InputEvent, OutputEvent> {

    private final Supplier<Function<InputEvent, OutputEvent>> start;
    private final Deque<Function<InputEvent, OutputEvent>> idle = new ArrayDeque<>();
    private int started;

    public Containers(Supplier<Function<InputEvent, OutputEvent>> start) {
        this.start = start;
    }

    @Override
    public OutputEvent apply(InputEvent input) {
        Function<InputEvent, OutputEvent> container;
        synchronized (this) {
            container = idle.poll();
            if (container == null) {
                container = start.get();
                started++;
            }
        }
        try {
            return container.apply(input);
        } finally {
            synchronized (this) {
                idle.push(container);
            }
        }
    }

    /** How many instances were started: the most invocations that ran at once. */
    public synchronized int started() {
        return started;
    }
}
