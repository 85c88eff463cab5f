package dev.fusionextract.emulator.fusion;

import java.util.Arrays;
import java.util.List;

/** One status a simulated job reports; each status request moves the job one step on, the last one sticks. */
public record JobStep(String status, String message) {

    public static JobStep of(String status) {
        return new JobStep(status, "Job Request is " + status.toLowerCase());
    }

    public static List<JobStep> script(String... statuses) {
        return Arrays.stream(statuses).map(JobStep::of).toList();
    }
}
