package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.emulator.http.Exchanges;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Monitoring's {@code PostMetricData} ({@code POST /20180401/metrics}, served in OCI by the telemetry-ingestion
 * endpoint), with the input rules of the API reference's MetricDataDetails: a namespace starts with a letter and
 * holds letters, digits and underscores, and {@code oci_} is reserved; a name starts with a letter and holds letters,
 * digits, '.', '_', '-' and '$'; dimension keys are printable ASCII without spaces (at most 256), values non-empty (at
 * most 512); at least one data point, stamped less than two hours ago and less than ten minutes ahead. A metric that
 * breaks a rule is answered in {@code failedMetrics} (the call itself succeeds), as the reference describes.
 */
public final class MonitoringService {

    /** One data point as posted. */
    public record PostedMetric(String namespace, String compartmentId, String name, Map<String, String> dimensions, double value,
                               Instant timestamp) {
    }

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._$-]*");
    private static final Pattern DIMENSION_KEY = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private final List<PostedMetric> posted = new CopyOnWriteArrayList<>();
    private volatile Clock clock;

    MonitoringService(Clock clock) {
        this.clock = clock;
    }

    /** The clock data point times are checked against: a test on a manual clock posts on that clock. */
    public MonitoringService checkTimesWith(Clock pointClock) {
        this.clock = pointClock;
        return this;
    }

    public List<PostedMetric> posted() {
        return List.copyOf(posted);
    }

    /** The data points posted under {@code name}. */
    public List<PostedMetric> posted(String name) {
        return posted.stream().filter(m -> m.name().equals(name)).toList();
    }

    Optional<OciEmulator.Route> route(OciRequest r) {
        if (!(r.is("POST", 2) && r.segment(0).equals("20180401") && r.segment(1).equals("metrics"))) {
            return Optional.empty();
        }
        return Optional.of(new OciEmulator.Route(OciOperation.POST_METRIC_DATA, () -> {
            JsonNode details = r.json();
            if (details == null || !details.path("metricData").isArray() || details.path("metricData").isEmpty()) {
                OciEmulator.error(r.exchange, 400, "InvalidParameter", "metricData must hold at least one metric");
                return;
            }
            ObjectNode answer = Exchanges.JSON.createObjectNode();
            ArrayNode failed = answer.putArray("failedMetrics");
            for (JsonNode metric : details.path("metricData")) {
                Optional<String> problem = problem(metric);
                if (problem.isPresent()) {
                    failed.addObject().put("message", problem.get()).set("metricData", metric);
                    continue;
                }
                Map<String, String> dimensions = new TreeMap<>();
                metric.path("dimensions").fields().forEachRemaining(e -> dimensions.put(e.getKey(), e.getValue().asText()));
                for (JsonNode point : metric.path("datapoints")) {
                    posted.add(new PostedMetric(metric.path("namespace").asText(), metric.path("compartmentId").asText(),
                            metric.path("name").asText(), Map.copyOf(dimensions), point.path("value").asDouble(),
                            Instant.parse(point.path("timestamp").asText())));
                }
            }
            answer.put("failedMetricsCount", failed.size());
            Exchanges.sendJson(r.exchange, 200, answer);
        }));
    }

    private Optional<String> problem(JsonNode metric) {
        String namespace = metric.path("namespace").asText("");
        if (!NAMESPACE.matcher(namespace).matches() || namespace.toLowerCase(Locale.ROOT).startsWith("oci_")) {
            return Optional.of("InvalidParameter: namespace " + namespace + " is not a valid custom namespace");
        }
        if (!metric.path("compartmentId").asText("").startsWith("ocid1.")) {
            return Optional.of("InvalidParameter: compartmentId is required");
        }
        if (!NAME.matcher(metric.path("name").asText("")).matches()) {
            return Optional.of("InvalidParameter: name " + metric.path("name").asText("") + " is not a valid metric name");
        }
        JsonNode dimensions = metric.path("dimensions");
        if (!dimensions.isObject() || dimensions.isEmpty()) {
            return Optional.of("InvalidParameter: dimensions are required");
        }
        for (var it = dimensions.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!DIMENSION_KEY.matcher(e.getKey()).matches() || e.getValue().asText("").isEmpty() || e.getValue().asText().length() > 512) {
                return Optional.of("InvalidParameter: dimension " + e.getKey() + " is not valid");
            }
        }
        JsonNode points = metric.path("datapoints");
        if (!points.isArray() || points.isEmpty()) {
            return Optional.of("InvalidParameter: at least one data point is required");
        }
        Instant now = clock.instant();
        for (JsonNode point : points) {
            try {
                Instant at = Instant.parse(point.path("timestamp").asText(""));
                if (at.isBefore(now.minus(Duration.ofHours(2))) || at.isAfter(now.plus(Duration.ofMinutes(10)))) {
                    return Optional.of("InvalidParameter: timestamp " + at + " is not within two hours before and ten minutes after now");
                }
            } catch (DateTimeParseException e) {
                return Optional.of("InvalidParameter: timestamp is not RFC 3339");
            }
        }
        return Optional.empty();
    }
}
