package dev.fusionextract.local;

import dev.fusionextract.local.bus.LocalEventBus;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run cost in function time: each function's invocations and GB-seconds (each invocation's duration, rounded up
 * to the next 100 ms, times the function's configured memory, 1 GB = 1,024 MB), from the deliveries of a local bus.
 * The memory is each function's {@code func.yaml} (and {@code infra/}); a test keeps them equal.
 */
public final class FunctionCosts {

    /** Configured memory in MB, as in each function's func.yaml. */
    public static final Map<String, Integer> MEMORY_MB = Map.of("submit-function", 256, "poll-function", 256, "transfer-function", 512);
    static final Duration BILLED_STEP = Duration.ofMillis(100);

    /** One function's share. */
    public record Cost(String function, int invocations, Duration billed, double gbSeconds) {
    }

    private FunctionCosts() {
    }

    /** The cost per function of the deliveries made, by the function a route ends at ("... → submit-function"). */
    public static List<Cost> of(List<LocalEventBus.Delivery> deliveries) {
        Map<String, long[]> byFunction = new TreeMap<>();
        for (LocalEventBus.Delivery d : deliveries) {
            String function = d.route().substring(d.route().lastIndexOf(' ') + 1);
            if (!MEMORY_MB.containsKey(function)) {
                continue;
            }
            long[] sums = byFunction.computeIfAbsent(function, f -> new long[2]);
            sums[0]++;
            sums[1] += billedMillis(d.took());
        }
        return byFunction.entrySet().stream().map(e -> new Cost(e.getKey(), (int) e.getValue()[0], Duration.ofMillis(e.getValue()[1]),
                e.getValue()[1] / 1000.0 * MEMORY_MB.get(e.getKey()) / 1024.0)).toList();
    }

    static long billedMillis(Duration took) {
        long step = BILLED_STEP.toMillis();
        return Math.max(step, (took.toMillis() + step - 1) / step * step);
    }

    public static void print(PrintWriter out, List<Cost> costs) {
        out.println("\nfunction time (each invocation rounded up to 100 ms, times the function's configured memory):");
        int invocations = 0;
        double total = 0;
        for (Cost c : costs) {
            out.printf("  %-18s %3d invocation%s  %5d MB  %8.1f s  %8.2f GB-s%n", c.function(), c.invocations(), c.invocations() == 1 ? " " : "s",
                    MEMORY_MB.get(c.function()), c.billed().toMillis() / 1000.0, c.gbSeconds());
            invocations += c.invocations();
            total += c.gbSeconds();
        }
        out.printf("  %-18s %3d invocations %30.2f GB-s%n", "total", invocations, total);
    }
}
