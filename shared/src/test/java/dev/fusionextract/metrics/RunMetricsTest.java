package dev.fusionextract.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.monitoring.Monitoring;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataResponseDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import com.oracle.bmc.monitoring.responses.PostMetricDataResponse;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciSettings;
import dev.fusionextract.testing.ManualTime;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** What RunMetrics posts for a run's end, and that it posts nothing when metrics are off. */
class RunMetricsTest {

    private final ManualTime time = new ManualTime();
    private final Monitoring monitoring = mock(Monitoring.class);
    private final OciSettings.Metrics settings = new OciSettings.Metrics("fusion_extract", "ocid1.compartment.oc1..c", Optional.empty());

    private RunRecord landed(long bytes) throws Exception {
        RunRecord run = RunRecord.requested("r-1", new ObjectMapper().readTree("{\"extractName\":\"GL\",\"mode\":\"FULL\"}"), time.instant());
        time.advance(Duration.ofSeconds(50));
        run = run.moveTo(RunState.SUBMITTED, "job", time.instant()).moveTo(RunState.TRANSFERRING, "done", time.instant())
                .withLandedFile(new RunRecord.LandedFile("a.zip", 1, "x", List.of(new RunRecord.LandedObject("p/a.csv", bytes, "m", "m", "a.csv",
                        "c", 1L))), time.instant());
        time.advance(Duration.ofSeconds(10));
        return run.moveTo(RunState.LANDED, "1 object", time.instant());
    }

    @Test
    void aLandedRunPostsItsDurationBytesObjectsAndThroughput() throws Exception {
        when(monitoring.postMetricData(any())).thenReturn(PostMetricDataResponse.builder()
                .postMetricDataResponseDetails(PostMetricDataResponseDetails.builder().failedMetricsCount(0).failedMetrics(List.of()).build())
                .build());
        new RunMetrics(Optional.of(settings), () -> monitoring, time, JsonLog.discard()).ended(landed(20L << 20));
        ArgumentCaptor<PostMetricDataRequest> posted = ArgumentCaptor.forClass(PostMetricDataRequest.class);
        verify(monitoring).postMetricData(posted.capture());
        Map<String, Double> values = posted.getValue().getPostMetricDataDetails().getMetricData().stream()
                .collect(Collectors.toMap(MetricDataDetails::getName, m -> m.getDatapoints().get(0).getValue()));
        assertEquals(Map.of("runs_landed", 1.0, "run_duration_seconds", 60.0, "landed_bytes", (double) (20L << 20), "landed_objects", 1.0,
                "transfer_mib_per_second", 2.0), values, "20 MiB in the 10 s from TRANSFERRING to LANDED");
        assertTrue(posted.getValue().getPostMetricDataDetails().getMetricData().stream()
                .allMatch(m -> m.getDimensions().equals(Map.of("extract", "GL", "kind", "run")) && m.getNamespace().equals("fusion_extract")));
    }

    @Test
    void nothingIsPostedWithoutACompartmentAndAFailureIsCountedNotThrown() throws Exception {
        new RunMetrics(Optional.empty(), () -> monitoring, time, JsonLog.discard()).ended(landed(1));
        verify(monitoring, never()).postMetricData(any());
        when(monitoring.postMetricData(any())).thenThrow(new IllegalStateException("monitoring is down"));
        RunMetrics metrics = new RunMetrics(Optional.of(settings), () -> monitoring, time, JsonLog.discard());
        metrics.ended(landed(1));
        metrics.started(landed(1));
        assertEquals(2, metrics.failures());
    }
}
