package dev.fusionextract.pipeline;

import com.oracle.bmc.auth.AbstractAuthenticationDetailsProvider;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.dataintegration.DataIntegrationJobs;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.FusionConnection;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.messages.StageMessages;
import dev.fusionextract.messages.TopicPublisher;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.objectstore.PartBuffers;
import dev.fusionextract.objectstore.StreamingObjectWriter;
import dev.fusionextract.transfer.FileTransfer;
import dev.fusionextract.transfer.LandingCleanup;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.Sleeper;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Everything a function (or the command line) works with, built once per container: configuration, the log,
 * the OCI clients, the ledger, the topics, the Fusion client and Data Integration. Clients that read secrets
 * or call services are made on first use, so a container starts without touching the network.
 */
public final class Components implements AutoCloseable {

    /** Where stage messages go: the topic's OCI Notifications endpoint in a deployment, a local bus on a workstation. */
    @FunctionalInterface
    public interface Publisher {
        /** Returns the message id. */
        String publish(PipelineSettings.Topic topic, StageMessage message);
    }

    private final Configuration config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final JsonLog log;
    private final OciClients oci;
    private final OciCalls calls;
    private RunLedger ledger;
    private FusionBatchClient fusion;
    private HttpClient http;
    private ExecutorService uploads;
    private StreamingObjectWriter writer;
    private volatile Publisher publisher = this::publishToTopic;
    private final dev.fusionextract.metrics.RunMetrics metrics;

    public Components(Configuration config, AbstractAuthenticationDetailsProvider authentication, Clock clock, Sleeper sleeper,
                      DoubleSupplier random, JsonLog log) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.log = log;
        this.oci = new OciClients(config.oci(), authentication, config.extract().httpTimeout());
        this.calls = new OciCalls(new Retrier(config.extract().retry(), clock, sleeper, random, log));
        this.metrics = new dev.fusionextract.metrics.RunMetrics(config.oci().metrics(),
                () -> oci.monitoring(config.oci().metrics().flatMap(dev.fusionextract.oci.OciSettings.Metrics::endpoint)), clock, log);
    }

    /** What a deployed function uses: its configuration, the process environment (resource principal), real time. */
    public static Components forFunction(ConfigSource source, ConfigKey.Reader reader, Map<String, String> environment) {
        Configuration config = Configuration.load(source, reader);
        if (reader == ConfigKey.Reader.TRANSFER) {
            config.oci().memoryProblem(Runtime.getRuntime().maxMemory()).ifPresent(problem -> {
                throw new dev.fusionextract.config.ConfigException(java.util.List.of(problem));
            });
        }
        JsonLog log = new JsonLog(System.out, new Redactor(), Clock.systemUTC(), config.extract().logLevel());
        return new Components(config, OciClients.authentication(config.oci(), environment), Clock.systemUTC(), Sleeper.system(),
                () -> ThreadLocalRandom.current().nextDouble(), log);
    }

    public Configuration config() {
        return config;
    }

    public PipelineSettings pipeline() {
        return config.pipeline();
    }

    public Clock clock() {
        return clock;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public JsonLog log() {
        return log;
    }

    public OciClients oci() {
        return oci;
    }

    public OciCalls calls() {
        return calls;
    }

    public synchronized RunLedger ledger() {
        if (ledger == null) {
            ledger = new RunLedger(oci.objectStorage(), calls, oci.namespace(), config.oci().controlBucket(), clock, sleeper, random, log);
        }
        return ledger;
    }

    /** What the transfer workers of a run share (file list, claims, results) beside its record. */
    public dev.fusionextract.ledger.WorkLedger work() {
        return new dev.fusionextract.ledger.WorkLedger(oci.objectStorage(), calls, oci.namespace(), config.oci().controlBucket(), clock, log);
    }

    /** The Fusion client: reads the Vault secret on first use, then keeps the credentials and tokens for the container's life. */
    public synchronized FusionBatchClient fusion() {
        if (fusion == null) {
            fusion = FusionConnection.open(config.extract(), oci.secrets(), http(), log, clock, sleeper, random);
        }
        return fusion;
    }

    public synchronized HttpClient http() {
        if (http == null) {
            http = FusionConnection.httpClient(config.extract());
        }
        return http;
    }

    /**
     * The object writer, with one set of part buffers for the container: upload memory is at most
     * UPLOAD_PART_SIZE_MIB x UPLOAD_PARTS_IN_FLIGHT, however many objects are written.
     */
    public synchronized StreamingObjectWriter writer() {
        if (writer == null) {
            int inFlight = config.oci().partsInFlight();
            uploads = Executors.newFixedThreadPool(inFlight, r -> {
                Thread t = new Thread(r, "part-upload");
                t.setDaemon(true);
                return t;
            });
            writer = new StreamingObjectWriter(oci.objectStorage(), calls, oci.namespace(),
                    new PartBuffers(config.oci().partSizeBytes(), inFlight), uploads, log);
        }
        return writer;
    }

    public FileTransfer fileTransfer() {
        return new FileTransfer(fusion(), writer(), oci.objectStorage(), calls, oci.namespace(),
                config.pipeline().landingBucket().orElseThrow(() -> new IllegalStateException("LANDING_BUCKET is not read by this component")),
                config.pipeline().zipLimits(), log);
    }

    public Optional<DataIntegrationJobs> dataIntegration() {
        return config.pipeline().dataIntegration().map(task -> new DataIntegrationJobs(DataIntegrationJobs.client(oci), calls, task));
    }

    /** Sends stage messages elsewhere than OCI Notifications (the workstation's in-process chain). */
    public Components publishingTo(Publisher other) {
        this.publisher = other;
        return this;
    }

    /** Publishes a stage message; the title is the message type and run id. */
    public String publish(PipelineSettings.Topic topic, StageMessage message) {
        String id = publisher.publish(topic, message);
        log.info("message published", "runId", message.runId(), "type", StageMessages.type(message), "messageId", id);
        return id;
    }

    /** Publishes to the topic itself, whoever else {@link #publishingTo} named. */
    public String publishToTopic(PipelineSettings.Topic topic, StageMessage message) {
        return new TopicPublisher(oci.notifications(topic.endpoint()), calls, topic.ocid())
                .publish(StageMessages.type(message) + " " + message.runId(), StageMessages.toJson(message));
    }

    /** Run metrics for OCI Monitoring (best effort; nothing when METRICS_COMPARTMENT_OCID is empty). */
    public dev.fusionextract.metrics.RunMetrics metrics() {
        return metrics;
    }

    /**
     * Tells the STATUS topic, when one is configured, that a run ended, and posts the run's end metrics. Best
     * effort: the ledger already holds the outcome, so a publish that fails (Errors included) is logged, never
     * thrown, and costs no redelivery.
     */
    public void publishStatus(StageMessage.Status status) {
        StageMessage.Status clean = new StageMessage.Status(status.runId(), status.state(), log.redactor().redact(status.reason()));
        try {
            config.pipeline().statusTopic().ifPresent(topic -> publish(topic, clean));
        } catch (Throwable e) {
            log.warn("status message not published; the ledger holds the outcome", "runId", status.runId(), "state", status.state(),
                    "error", dev.fusionextract.failure.Reasons.of(e));
        }
        if (config.oci().metrics().isPresent()) {
            try {
                ledger().read(status.runId()).ifPresent(run -> metrics.ended(run.record()));
            } catch (Throwable e) {
                log.warn("run metrics not posted: the run's record could not be read", "runId", status.runId(),
                        "error", dev.fusionextract.failure.Reasons.of(e));
            }
        }
    }

    /** Removes what a run left under its landing folder (open uploads, and for a failed run every object). */
    public LandingCleanup landingCleanup() {
        return new LandingCleanup(oci.objectStorage(), calls, oci.namespace(), config.pipeline().landingBucket()
                .orElseThrow(() -> new IllegalStateException("LANDING_BUCKET is not read by this component")), log);
    }

    @Override
    public synchronized void close() {
        if (uploads != null) {
            uploads.shutdownNow();
        }
        oci.close();
    }
}
