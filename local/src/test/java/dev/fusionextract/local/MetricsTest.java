package dev.fusionextract.local;

import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.oci.MonitoringService;
import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run metrics reach OCI Monitoring (the emulator's PostMetricData, through the real SDK); an outage there fails no run. */
class MetricsTest {

    private static final String EVENTS = Chains.EVENTS;
    private static final String COMPARTMENT = "ocid1.compartment.oc1..metrics";
    private final ChainFixture fx = new ChainFixture();
    private Deliveries chain;

    MetricsTest() {
        fx.settings().put("METRICS_COMPARTMENT_OCID", COMPARTMENT);
        fx.settings().put("OCI_MONITORING_ENDPOINT", fx.oci.endpoint().toString());
        fx.oci.monitoring().checkTimesWith(fx.time);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private Deliveries chain() {
        if (chain == null) {
            chain = Chains.whole(fx);
        }
        return chain;
    }

    private MonitoringService.PostedMetric only(String name) {
        List<MonitoringService.PostedMetric> posted = fx.oci.monitoring().posted(name);
        assertEquals(1, posted.size(), name + ": " + fx.oci.monitoring().posted());
        MonitoringService.PostedMetric metric = posted.get(0);
        assertEquals("fusion_extract", metric.namespace());
        assertEquals(COMPARTMENT, metric.compartmentId());
        assertEquals(Map.of("extract", "Suppliers", "kind", "run"), metric.dimensions());
        return metric;
    }

    @Test
    void aLandedRunPostsItsStartItsEndWhatItLandedAndHowFast() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small()));
        chain().deliver(EVENTS, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"m-1\"}");
        chain().drain(200);
        assertEquals(RunState.LANDED, fx.onlyRun().state());
        long bytes = fx.onlyRun().files().values().stream().flatMap(f -> f.objects().stream()).mapToLong(o -> o.size()).sum();
        long objects = fx.onlyRun().files().values().stream().mapToLong(f -> f.objects().size()).sum();
        assertEquals(1.0, only("runs_started").value());
        assertEquals(1.0, only("runs_landed").value());
        assertEquals((double) bytes, only("landed_bytes").value());
        assertEquals((double) objects, only("landed_objects").value());
        assertTrue(only("run_duration_seconds").value() >= 0);
        // The manual clock stands still while the transfer runs: no time, no throughput (RunMetricsTest checks the figure).
        assertTrue(fx.oci.monitoring().posted("transfer_mib_per_second").isEmpty());
        assertTrue(fx.oci.monitoring().posted("runs_failed").isEmpty());
    }

    @Test
    void aFailedRunPostsItsFailureForTheAlarm() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script("ENQUEUED", "ERROR"));
        chain().deliver(EVENTS, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"m-2\"}");
        chain().drain(200);
        assertEquals(RunState.FAILED, fx.onlyRun().state());
        assertEquals(1.0, only("runs_failed").value());
        assertTrue(fx.oci.monitoring().posted("runs_landed").isEmpty());
    }

    @Test
    void aMonitoringOutageFailsNoRunAndIsLoggedAndCounted() throws Exception {
        fx.oci.faults().every(OciOperation.POST_METRIC_DATA, OciFault.unavailable());
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small()));
        chain().deliver(EVENTS, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"m-3\"}");
        chain().drain(200);
        assertEquals(RunState.LANDED, fx.onlyRun().state());
        assertTrue(fx.oci.monitoring().posted().isEmpty());
        assertTrue(fx.oci.faults().calls(OciOperation.POST_METRIC_DATA) >= 2, "the start and the end were both tried");
        assertTrue(fx.log.lines().stream().anyMatch(l -> l.path("msg").asText().equals("metrics not posted; the run goes on")
                && l.path("failures").asInt() >= 1), "logged with a count");
    }
}
