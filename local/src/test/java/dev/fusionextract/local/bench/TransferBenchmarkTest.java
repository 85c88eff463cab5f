package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

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
        return r;
    }

    @Test
    void ratiosCompareThroughputWithTheLimitAndTheStagedBaselineOfTheSameSize() {
        String table = TransferBenchmark.table(List.of(result("streaming", 8), result("staged", 16), result("limit", 6.4)));
        assertTrue(table.contains("| 1 GiB | streaming | 8.0 | 128 | 0.80 | 2.00 | 100 | 200 | 0 | 3.5 |"), table);
        assertTrue(table.contains("| 1 GiB | staged | 16.0 | 64 | 0.40 | 1.00 |"), table);
        assertTrue(table.contains("| 1 GiB | limit | 6.4 | 160 | 1.00 | 2.50 |"), table);
    }
}
