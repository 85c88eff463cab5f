package dev.fusionextract.local;

import dev.fusionextract.local.bench.FunctionImage;
import dev.fusionextract.local.bus.LocalEventBus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FunctionCostsTest {

    private static LocalEventBus.Delivery delivery(String route, long millis) {
        return new LocalEventBus.Delivery(route, 1, 200, "{}", "{}", Instant.EPOCH, Duration.ofMillis(millis));
    }

    @Test
    void eachInvocationIsRoundedUpTo100MillisecondsAndTimesItsFunctionsMemory() {
        assertEquals(100, FunctionCosts.billedMillis(Duration.ZERO));
        assertEquals(100, FunctionCosts.billedMillis(Duration.ofMillis(100)));
        assertEquals(200, FunctionCosts.billedMillis(Duration.ofMillis(101)));
        List<FunctionCosts.Cost> costs = FunctionCosts.of(List.of(delivery("events → submit-function", 950),
                delivery("POLL → poll-function", 2_001), delivery("POLL → poll-function", 40), delivery("TRANSFER → transfer-function", 3_000),
                delivery("somewhere → not-a-function", 5_000)));
        assertEquals(List.of(
                new FunctionCosts.Cost("poll-function", 2, Duration.ofMillis(2_200), 2.2 * 256 / 1024),
                new FunctionCosts.Cost("submit-function", 1, Duration.ofMillis(1_000), 1.0 * 256 / 1024),
                new FunctionCosts.Cost("transfer-function", 1, Duration.ofMillis(3_000), 3.0 * 512 / 1024)), costs);
    }

    @Test
    void theMemoryIsEachFunctionsFuncYaml() throws IOException {
        for (var entry : FunctionCosts.MEMORY_MB.entrySet()) {
            assertEquals(entry.getValue(), FunctionImage.memoryMb(Path.of("..", entry.getKey())), entry.getKey());
        }
    }
}
