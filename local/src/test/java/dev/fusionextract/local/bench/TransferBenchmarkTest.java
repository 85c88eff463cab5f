package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table's arithmetic: throughput and the two ratios the targets are stated in. */
class TransferBenchmarkTest {

    private static ObjectNode result(String path, double seconds) {
        ObjectNode r = new ObjectMapper().createObjectNode();
        r.put("path", path);
        r.put("gib", 1.0);
        r.put("unzippedBytes", 1L << 30);
        r.put("seconds", seconds);
        r.put("heapPeakBytes", 100L << 20);
        r.put("rssPeakBytes", 200L << 20);
        r.put("diskWrittenBytes", 0);
        r.put("cpuSeconds", 3.5);
        r.put("emulatorCpuSeconds", 2.25);
        return r;
    }

    @Test
    void ratiosCompareThroughputWithTheLimitAndTheStagedBaselineOfTheSameSize() {
        String table = TransferBenchmark.table(List.of(result("streaming", 8), result("staged", 16), result("limit", 6.4)));
        assertTrue(table.contains("| 1 GiB | streaming | 8.0 | 1 (8.0–8.0) | 128 | 0.80 | 2.00 | 100 | 200 | 0 | 3.5 | 2.3 |"), table);
        assertTrue(table.contains("| 1 GiB | staged | 16.0 | 1 (16.0–16.0) | 64 | 0.40 | 1.00 |"), table);
        assertTrue(table.contains("| 1 GiB | limit | 6.4 | 1 (6.4–6.4) | 160 | 1.00 | 2.50 |"), table);
    }

    @Test
    void eachPathIsReportedByItsMedianRoundWithTheSpreadOfAllRoundsAndTheirHighestPeaks() {
        ObjectNode biggest = result("streaming", 7.25);
        biggest.put("rssPeakBytes", 250L << 20);
        ObjectNode median = TransferBenchmark.median(List.of(result("streaming", 9.5), biggest, result("streaming", 8)));
        String table = TransferBenchmark.table(List.of(median));
        assertTrue(table.contains("| 1 GiB | streaming | 8.0 | 3 (7.3–9.5) | 128 | - | - | 100 | 250 | 0 |"), table);
        ObjectNode even = TransferBenchmark.median(List.of(result("limit", 6), result("limit", 7)));
        assertTrue(TransferBenchmark.table(List.of(even)).contains("| 1 GiB | limit | 7.0 | 2 (6.0–7.0) |"));
    }

    @Test
    void noRoundsIsRefusedBeforeAnythingIsGenerated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransferBenchmark.main(new String[]{"--repeat", "0", "--gib", "64"}));
        assertEquals("--repeat must be 1 or more, not 0", e.getMessage());
    }
}
