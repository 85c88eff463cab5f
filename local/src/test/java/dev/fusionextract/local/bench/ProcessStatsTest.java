package dev.fusionextract.local.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessStatsTest {

    @Test
    void readsThePeakResidentSetOfAProcessAndMinusOneForAFieldItLacks() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        long earlierKib = ProcessStats.statusField(self, "VmRSS");
        long peakKib = ProcessStats.statusField(self, "VmHWM");
        assertTrue(earlierKib > 0 && peakKib >= earlierKib, peakKib + " kB peak, " + earlierKib + " kB a moment before");
        assertEquals(-1, ProcessStats.statusField(self, "NoSuchField"));
    }

    @Test
    void aRunningProcessHasSpentCpuTime() {
        assertTrue(ProcessStats.cpuSeconds(ProcessHandle.current()) > 0);
    }
}
