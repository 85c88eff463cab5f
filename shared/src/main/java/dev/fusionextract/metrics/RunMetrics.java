package dev.fusionextract.metrics;

import com.oracle.bmc.monitoring.Monitoring;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Run metrics, posted to OCI Monitoring as custom metrics (PostMetricData) in METRICS_NAMESPACE, dimensioned by
 * {@code extract} and {@code kind} (run, series or occurrence):
 * <ul>
 *   <li>{@code runs_started}: 1 when a run's job is submitted (or an occurrence of a series is started);</li>
 *   <li>{@code runs_landed}, {@code runs_loaded}, {@code runs_failed}, {@code runs_timed_out}, {@code runs_rejected}:
 *       1 when a run ends so;</li>
 *   <li>{@code run_duration_seconds}: from the request to the end, for every run that ends;</li>
 *   <li>{@code landed_bytes}, {@code landed_objects}, {@code transfer_mib_per_second}: for a run that LANDED, what it
 *       landed, and its bytes over the time from TRANSFERRING to LANDED.</li>
 * </ul>
 * Posting is best effort: one attempt, never retried, never thrown; a failure is logged and counted, and the run
 * goes on. Nothing is posted when METRICS_COMPARTMENT_OCID is empty.
 */
public final class RunMetrics {

    private final Optional<OciSettings.Metrics> settings;
    private final Supplier<Monitoring> client;
    private final Clock clock;
    private final JsonLog log;
    private final AtomicInteger failures = new AtomicInteger();

    public RunMetrics(Optional<OciSettings.Metrics> settings, Supplier<Monitoring> client, Clock clock, JsonLog log) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
        this.log = log;
    }

    /** A run's job was submitted: {@code runs_started}. */
    public void started(RunRecord run) {
        post(List.of(metric("runs_started", run, 1)));
    }

    /** A run ended: the count of its end state, its duration, and for a landed run what it landed and how fast. */
    public void ended(RunRecord run) {
        if (!run.state().terminal()) {
            return;
        }
        Instant now = clock.instant();
        List<MetricDataDetails> metrics = new ArrayList<>();
        metrics.add(metric("runs_" + run.state().name().toLowerCase(Locale.ROOT), run, 1));
        metrics.add(metric("run_duration_seconds", run, Math.max(0, Duration.between(run.created(), now).toMillis() / 1000.0)));
        if (run.state() == RunState.LANDED && (run.series() == null || run.series().parentRunId() != null)) {
            long bytes = run.landedBytes();
            long objects = run.landedObjects();
            metrics.add(metric("landed_bytes", run, bytes));
            metrics.add(metric("landed_objects", run, objects));
            run.reachedAt(RunState.TRANSFERRING).ifPresent(from -> {
                double seconds = Duration.between(from, now).toMillis() / 1000.0;
                if (seconds > 0) {
                    metrics.add(metric("transfer_mib_per_second", run, bytes / 1048576.0 / seconds));
                }
            });
        }
        post(metrics);
    }

    /** How many posts have failed in this container. */
    public int failures() {
        return failures.get();
    }

    private MetricDataDetails metric(String name, RunRecord run, double value) {
        String extract = run.request() == null ? "" : run.request().path("extractName").asText("");
        String kind = run.series() == null ? "run" : run.series().parentRunId() == null ? "series" : "occurrence";
        return MetricDataDetails.builder()
                .namespace(settings.map(OciSettings.Metrics::namespace).orElse(""))
                .compartmentId(settings.map(OciSettings.Metrics::compartmentId).orElse(""))
                .name(name)
                // Monitoring refuses empty dimension values.
                .dimensions(Map.of("extract", extract.isBlank() ? "unknown" : cut(extract), "kind", kind))
                .datapoints(List.of(Datapoint.builder().timestamp(Date.from(clock.instant())).value(value).build()))
                .build();
    }

    private static String cut(String value) {
        return value.length() <= 512 ? value : value.substring(0, 512);
    }

    private void post(List<MetricDataDetails> metrics) {
        if (settings.isEmpty()) {
            return;
        }
        try {
            var response = client.get().postMetricData(PostMetricDataRequest.builder()
                    .postMetricDataDetails(PostMetricDataDetails.builder().metricData(metrics).build()).build());
            Integer failed = response.getPostMetricDataResponseDetails().getFailedMetricsCount();
            if (failed != null && failed > 0) {
                log.warn("some metrics were refused; the run goes on", "refused", failed, "failures", failures.incrementAndGet(),
                        "first", String.valueOf(response.getPostMetricDataResponseDetails().getFailedMetrics().get(0).getMessage()));
            }
        } catch (Throwable e) {
            log.warn("metrics not posted; the run goes on", "metrics", metrics.size(), "failures", failures.incrementAndGet(),
                    "error", Reasons.of(e));
        }
    }
}
