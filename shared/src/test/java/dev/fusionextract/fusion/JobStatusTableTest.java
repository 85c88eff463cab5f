package dev.fusionextract.fusion;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every status name in the reference, classified as the table in the README says. */
class JobStatusTableTest {

    @ParameterizedTest
    @ValueSource(strings = {"SUCCEEDED", "COMPLETED", "WARNING", "FINISHED", "succeeded", " Completed "})
    void successNames(String name) {
        assertEquals(JobState.SUCCEEDED, JobStatusTable.classify(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ERROR", "FAILED", "CANCELLED", "CANCELED", "EXPIRED", "VALIDATION_FAILED", "ERROR_MANUAL_RECOVERY"})
    void failureNames(String name) {
        assertEquals(JobState.FAILED, JobStatusTable.classify(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ENQUEUED", "RUNNING", "WAIT", "READY", "BLOCKED", "HOLD", "PAUSED", "PENDING_VALIDATION",
            "CANCELLING", "ERROR_AUTO_RETRY", "SCHEDULE_ENDED", "UNKNOWN"})
    void stillRunningNames(String name) {
        assertEquals(JobState.RUNNING, JobStatusTable.classify(name));
        assertTrue(JobStatusTable.lookup(name).isPresent(), name + " is a known name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUEUED_FOR_MARS", "", "DONE-ISH"})
    void unknownNamesKeepPolling(String name) {
        assertEquals(JobState.RUNNING, JobStatusTable.classify(name));
        assertTrue(JobStatusTable.lookup(name).isEmpty());
    }
}
