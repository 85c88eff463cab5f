package dev.fusionextract.emulator.oci;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Faults to play, per operation: on the nth call from now, or on every call. */
public final class OciFaults {

    private record Planned(OciOperation operation, long atCall, OciFault fault) {
    }

    private final Map<OciOperation, Long> calls = new EnumMap<>(OciOperation.class);
    private final Map<OciOperation, OciFault> always = new EnumMap<>(OciOperation.class);
    private final List<Planned> planned = new CopyOnWriteArrayList<>();

    /** Plays {@code fault} on the {@code nth} call of {@code operation} from now on (1 = the next one). */
    public synchronized OciFaults on(OciOperation operation, int nth, OciFault fault) {
        planned.add(new Planned(operation, calls.getOrDefault(operation, 0L) + nth, fault));
        return this;
    }

    public OciFaults next(OciOperation operation, OciFault fault) {
        return on(operation, 1, fault);
    }

    /** Plays {@code fault} on every call of {@code operation} until {@link #clear()}. */
    public synchronized OciFaults every(OciOperation operation, OciFault fault) {
        always.put(operation, fault);
        return this;
    }

    public synchronized void clear() {
        planned.clear();
        always.clear();
    }

    /** How often the operation was called (faulted calls included). */
    public synchronized long calls(OciOperation operation) {
        return calls.getOrDefault(operation, 0L);
    }

    /** Counts the call and returns the fault to play on it, if any. */
    synchronized OciFault take(OciOperation operation) {
        long call = calls.merge(operation, 1L, Long::sum);
        for (Planned p : planned) {
            if (p.operation() == operation && p.atCall() == call) {
                planned.remove(p);
                return p.fault();
            }
        }
        return always.get(operation);
    }
}
