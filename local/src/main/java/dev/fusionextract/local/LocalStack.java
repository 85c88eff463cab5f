package dev.fusionextract.local;

import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.emulator.fusion.ForeignZip;
import dev.fusionextract.emulator.fusion.FusionSimulator;
import dev.fusionextract.emulator.oci.ObjectEvents;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.emulator.oci.PemKeys;
import dev.fusionextract.local.bus.LocalEventBus;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.transfer.function.TransferFunction;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fusion and OCI on a laptop: both emulators on free loopback ports, seeded as a deployment would be (an IDCS
 * client and its Vault secret, the buckets, the topics), an API key the OCI emulator trusts, and a configuration
 * file for it. With {@link #wire}, the three handlers are subscribed as OCI would drive them.
 */
public final class LocalStack implements AutoCloseable {

    public static final String CONTROL = "control";
    public static final String LANDING = "landing";
    public static final String POLL_TOPIC = "ocid1.onstopic.oc1.local.poll";
    public static final String TRANSFER_TOPIC = "ocid1.onstopic.oc1.local.transfer";
    public static final String STATUS_TOPIC = "ocid1.onstopic.oc1.local.status";
    public static final String SECRET = "ocid1.vaultsecret.oc1.local.idcs";
    public static final String SAMPLE_EXTRACT = "SupplierExtract";

    public final FusionSimulator fusion = FusionSimulator.start();
    public final OciEmulator oci = OciEmulator.start();
    public final Path work;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<Components> opened = new ArrayList<>();
    private final PrintStream logFile;
    private final String clientSecret;
    private final Clock clock;
    private volatile dev.fusionextract.local.bus.Containers transferContainers;

    public LocalStack(Path work) throws IOException {
        this(work, Clock.systemUTC());
    }

    /** A stack whose functions read {@code clock}: the schedule demo moves it from one occurrence to the next. */
    public LocalStack(Path work, Clock clock) throws IOException {
        this.clock = clock;
        this.work = Files.createDirectories(work);
        String clientId = "local-" + hex(6);
        clientSecret = "cs-" + hex(16);
        fusion.idcs().addClient(clientId, clientSecret);
        oci.secrets().put(SECRET, ("{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\",\"scope\":\""
                + fusion.batchScope() + "\"}").getBytes(StandardCharsets.UTF_8));
        oci.objectStorage().createBucket(CONTROL).createBucket(LANDING);
        oci.notifications().createTopic(POLL_TOPIC).createTopic(TRANSFER_TOPIC).createTopic(STATUS_TOPIC);
        KeyPair keys = PemKeys.newRsaKeyPair();
        String keyId = "ocid1.tenancy.oc1..local/ocid1.user.oc1..local/" + hex(8);
        oci.trustApiKey(keyId, keys.getPublic());
        Path ociConfig = PemKeys.writeOciConfig(work, keyId, keys.getPrivate());
        String endpoint = oci.endpoint().toString();
        settings.put("FUSION_BASE_URL", fusion.baseUri().toString());
        settings.put("IDCS_URL", fusion.baseUri().toString());
        settings.put("IDCS_SECRET_OCID", SECRET);
        settings.put("OCI_AUTH", "config_file");
        settings.put("OCI_CONFIG_FILE", ociConfig.toString());
        settings.put("OCI_OBJECT_STORAGE_ENDPOINT", endpoint);
        settings.put("OCI_SECRETS_ENDPOINT", endpoint);
        settings.put("OCI_DATA_INTEGRATION_ENDPOINT", endpoint);
        settings.put("CONTROL_BUCKET", CONTROL);
        settings.put("LANDING_BUCKET", LANDING);
        settings.put("POLL_TOPIC_OCID", POLL_TOPIC);
        settings.put("POLL_TOPIC_ENDPOINT", endpoint);
        settings.put("TRANSFER_TOPIC_OCID", TRANSFER_TOPIC);
        settings.put("TRANSFER_TOPIC_ENDPOINT", endpoint);
        settings.put("STATUS_TOPIC_OCID", STATUS_TOPIC);
        settings.put("STATUS_TOPIC_ENDPOINT", endpoint);
        settings.put("POLL_INTERVAL_SECONDS", "1");
        settings.put("POLL_MAX_INTERVAL_SECONDS", "2");
        settings.put("UPLOAD_PART_SIZE_MIB", "8");
        settings.put("ZIP_MAX_UNZIPPED_GIB", "78"); // what 10,000 parts of 8 MiB can hold
        logFile = new PrintStream(Files.newOutputStream(work.resolve("functions.log")), true, StandardCharsets.UTF_8);
    }

    /**
     * The sample extract definition both the demo and {@code emulate} serve: three CSV tables over {@code files} ZIP
     * chunks, and one more output file made by Info-ZIP's {@code zip -r} (folders, extended-timestamp fields), so
     * that every local run also lands an archive our own generator did not write.
     */
    public void seedSampleExtract(int sizeMib, int files) {
        fusion.defineExtract(dev.fusionextract.emulator.fusion.ExtractDefinition.named(SAMPLE_EXTRACT)
                .output(new dev.fusionextract.emulator.fusion.OutputSpec(files, List.of("suppliers", "supplier_sites", "invoices"),
                        (long) sizeMib << 20, 7, dev.fusionextract.emulator.fusion.ZipVariant.DEFLATED, true))
                .extraFiles(List.of(ForeignZip.INFOZIP_TREE.asOutput(INFOZIP_FILE)))
                .script("ENQUEUED", "RUNNING", "RUNNING", "SUCCEEDED"));
    }

    /** The sample extract's output file made by Info-ZIP. */
    public static final String INFOZIP_FILE = "SupplierExtract_infozip_export.zip";

    /** The configuration, as KEY=VALUE lines: what {@code fusion-extract run --config} reads. */
    public Path writeConfig() throws IOException {
        StringBuilder text = new StringBuilder("# fusion-extract configuration for the local emulators\n");
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(work.resolve("fusion-extract.conf"), text.toString());
    }

    public Map<String, String> settings() {
        return settings;
    }

    /** Components for one handler, logging to {@code functions.log} in the work folder. */
    public synchronized Components components(ConfigKey.Reader reader) {
        Configuration config = Configuration.load(ConfigSource.of(settings), reader);
        JsonLog log = new JsonLog(logFile, new Redactor(), clock, JsonLog.Level.INFO);
        Components components = new Components(config, OciClients.authentication(config.oci(), Map.of()), clock,
                Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble(), log);
        opened.add(components);
        return components;
    }

    /** The transfer-function containers {@link #wire} started: how many transfer invocations ran at once, at most. */
    public int transferContainersStarted() {
        return transferContainers == null ? 0 : transferContainers.started();
    }

    /** Subscribes the three handlers as OCI Events and Notifications would. */
    public void wire(LocalEventBus bus) {
        SubmitFunction submit = SubmitFunction.with(components(ConfigKey.Reader.SUBMIT));
        PollFunction poll = PollFunction.with(components(ConfigKey.Reader.POLL));
        // Concurrent transfer invocations (TRANSFER_WORKERS) each get a container of their own, as in OCI.
        transferContainers = new dev.fusionextract.local.bus.Containers(
                () -> TransferFunction.with(components(ConfigKey.Reader.TRANSFER))::handleRequest);
        oci.objectStorage().onCreate(created -> {
            boolean request = created.bucket().equals(CONTROL) && created.name().startsWith("requests/");
            boolean manifest = created.bucket().equals(LANDING) && created.name().endsWith("/_manifest.json")
                    && settings.containsKey("DI_WORKSPACE_OCID");
            if (request || manifest) {
                bus.publish("events → submit-function", ObjectEvents.created(created, Instant.now()), Map.of(), submit::handleRequest);
            }
        });
        oci.notifications().subscribe(POLL_TOPIC, m -> bus.publish("POLL → poll-function", m.body(), headers(m.messageId(), POLL_TOPIC),
                poll::handleRequest));
        oci.notifications().subscribe(TRANSFER_TOPIC, m -> bus.publish("TRANSFER → transfer-function", m.body(),
                headers(m.messageId(), TRANSFER_TOPIC), transferContainers));
    }

    private static Map<String, String> headers(String messageId, String topic) {
        return Map.of("X-OCI-NS-MessageId", messageId, "X-OCI-NS-TopicOcid", topic);
    }

    /** The client secret and every token issued: what must never appear in output. */
    public List<String> secrets() {
        List<String> values = new ArrayList<>(List.of(clientSecret));
        values.addAll(fusion.idcs().issuedTokens());
        return values;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        opened.forEach(Components::close);
        logFile.close();
        fusion.close();
        oci.close();
    }
}
