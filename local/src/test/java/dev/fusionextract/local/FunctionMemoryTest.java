package dev.fusionextract.local;

import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.local.bench.FunctionImage;
import dev.fusionextract.oci.OciSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each function's memory (func.yaml, and infra through InfraConsistencyTest) holds what bench coldstart measured with
 * room to spare: peak RSS under 70 % of it. For transfer-function the largest case is its upload buffers
 * (UPLOAD_PART_SIZE_MIB x UPLOAD_PARTS_IN_FLIGHT at their defaults) on top of the measured baseline, and the buffers
 * must also pass the function's own start-up check against the heap the image's flags give at that memory.
 */
class FunctionMemoryTest {

    /**
     * Peak RSS measured by {@code bench coldstart} (README, "Cold start"), rounded up: the function's first and second
     * invocation with the image's flags; transfer-function's with a 1 MiB job, before any multipart buffer is taken.
     */
    static final Map<String, Integer> MEASURED_PEAK_RSS_MIB = Map.of("submit-function", 125, "poll-function", 125, "transfer-function", 170);
    static final double HEADROOM = 0.70;

    @ParameterizedTest
    @CsvSource({"submit-function", "poll-function"})
    void submitAndPollRunWithTheirMeasuredPeakUnder70PercentOfTheirMemory(String function) throws IOException {
        int memory = FunctionImage.memoryMb(Path.of("..", function));
        assertTrue(MEASURED_PEAK_RSS_MIB.get(function) <= HEADROOM * memory, function + ": " + MEASURED_PEAK_RSS_MIB.get(function)
                + " MiB measured in " + memory + " MB");
        assertEquals(smallestSize(MEASURED_PEAK_RSS_MIB.get(function)), memory, function + " is the smallest size that holds it");
    }

    @Test
    void transferHoldsItsUploadBuffersOnTopOfTheMeasuredBaselineWithin70PercentOfItsMemory() throws IOException {
        int memory = FunctionImage.memoryMb(Path.of("..", "transfer-function"));
        long buffersMib = Long.parseLong(ConfigKey.UPLOAD_PART_SIZE_MIB.defaultValue().orElseThrow())
                * Long.parseLong(ConfigKey.UPLOAD_PARTS_IN_FLIGHT.defaultValue().orElseThrow());
        long largest = MEASURED_PEAK_RSS_MIB.get("transfer-function") + buffersMib;
        assertTrue(largest <= HEADROOM * memory, "UPLOAD_PART_SIZE_MIB x UPLOAD_PARTS_IN_FLIGHT = " + buffersMib + " MiB on "
                + MEASURED_PEAK_RSS_MIB.get("transfer-function") + " MiB measured: " + largest + " MiB in " + memory + " MB");
        assertEquals(smallestSize(largest), memory, "transfer-function is the smallest size that holds it");
    }

    @Test
    void theDefaultUploadBuffersPassTheTransferFunctionsOwnHeapCheckWithTheImagesFlags() throws Exception {
        int memory = FunctionImage.memoryMb(Path.of("..", "transfer-function"));
        long heap = maxHeapBytes(memory);
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "c")));
        assertEquals(java.util.Optional.empty(), settings.memoryProblem(heap), "heap " + heap / 1048576 + " MiB at " + memory + " MB");
        // and the same check refuses the buffers at the next size down: the size is not larger than it needs to be
        assertTrue(settings.memoryProblem(maxHeapBytes(memory / 2)).isPresent());
    }

    private static int smallestSize(long mib) {
        for (int size : List.of(128, 256, 512, 1024, 2048, 3072)) {
            if (mib <= HEADROOM * size) {
                return size;
            }
        }
        throw new AssertionError(mib + " MiB fits no OCI Functions memory size");
    }

    /** The heap a JVM with the image's flags gets in a container of {@code memoryMb} (what Runtime.maxMemory answers there). */
    private static long maxHeapBytes(int memoryMb) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(FunctionImage.flags(null));
        command.remove("-Xshare:on");
        command.addAll(List.of("-XX:MaxRAM=" + memoryMb + "m", "-XshowSettings:vm", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(30, TimeUnit.SECONDS));
        Matcher heap = Pattern.compile("Max\\. Heap Size \\(Estimated\\): ([0-9.]+)([MG])").matcher(out);
        assertTrue(heap.find(), out);
        double value = Double.parseDouble(heap.group(1)) * (heap.group(2).equals("G") ? 1024 : 1);
        return (long) (value * 1048576);
    }
}
