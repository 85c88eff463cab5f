package dev.fusionextract.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks read of a process: its CPU time, and fields of Linux's {@code /proc/<pid>/status} and {@code io}. */
final class ProcessStats {

    private ProcessStats() {
    }

    /** User and system CPU of the process so far, or -1 where the platform does not say. */
    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /** A numeric field of {@code /proc/<pid>/status} (kB for the memory ones, {@code VmHWM} say), or -1 if absent. */
    static long statusField(ProcessHandle process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** A counter of this process's {@code /proc/self/io} ({@code wchar}, {@code write_bytes}), or 0 where it cannot be read. */
    static long ioCounter(String field) throws IOException {
        Path io = Path.of("/proc/self/io");
        if (!Files.isReadable(io)) {
            return 0;
        }
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return 0;
    }
}
