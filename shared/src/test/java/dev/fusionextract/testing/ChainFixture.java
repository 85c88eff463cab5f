package dev.fusionextract.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fnproject.fn.api.Headers;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.runtime.ReadOnceInputEvent;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.emulator.fusion.FusionSimulator;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.emulator.oci.StoredObject;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.pipeline.Components;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Both emulators, seeded as a deployment would be (Vault secret, IDCS client, buckets, topics), and the
 * project's components for any function wired to them with a manual clock: a whole chain runs on loopback.
 */
public final class ChainFixture implements AutoCloseable {

    public static final String CONTROL = "fx-control";
    public static final String LANDING = "fx-landing";
    public static final String POLL_TOPIC = "ocid1.onstopic.oc1.iad.poll";
    public static final String TRANSFER_TOPIC = "ocid1.onstopic.oc1.iad.transfer";
    public static final String STATUS_TOPIC = "ocid1.onstopic.oc1.iad.status";
    public static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(300);
    private static final ObjectMapper LEDGER_JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    public final ManualTime time = new ManualTime();
    public final CapturedLog log = new CapturedLog(time);
    public final FusionSimulator fusion = FusionSimulator.start(0, time);
    public final OciEmulator oci = OciEmulator.start();
    public final OciTestAuth identity = OciTestAuth.apiKey().trustedBy(oci);
    private final Map<String, String> settings = new HashMap<>();
    private final List<Components> opened = new ArrayList<>();

    public ChainFixture() {
        fusion.idcs().addClient(FusionFixture.CLIENT_ID, FusionFixture.CLIENT_SECRET);
        oci.secrets().put(FusionFixture.SECRET_OCID, ("{\"clientId\":\"" + FusionFixture.CLIENT_ID + "\",\"clientSecret\":\""
                + FusionFixture.CLIENT_SECRET + "\",\"scope\":\"" + fusion.batchScope() + "\"}").getBytes(StandardCharsets.UTF_8));
        oci.objectStorage().stampWith(time).createBucket(CONTROL).createBucket(LANDING);
        oci.notifications().createTopic(POLL_TOPIC).createTopic(TRANSFER_TOPIC).createTopic(STATUS_TOPIC);
        String endpoint = oci.endpoint().toString();
        settings.putAll(Map.ofEntries(
                Map.entry("FUSION_BASE_URL", fusion.baseUri().toString()),
                Map.entry("IDCS_URL", fusion.baseUri().toString()),
                Map.entry("IDCS_SECRET_OCID", FusionFixture.SECRET_OCID),
                Map.entry("HTTP_TIMEOUT_SECONDS", "10"),
                Map.entry("OCI_OBJECT_STORAGE_ENDPOINT", endpoint),
                Map.entry("OCI_SECRETS_ENDPOINT", endpoint),
                Map.entry("OCI_DATA_INTEGRATION_ENDPOINT", endpoint),
                Map.entry("CONTROL_BUCKET", CONTROL),
                Map.entry("LANDING_BUCKET", LANDING),
                Map.entry("POLL_TOPIC_OCID", POLL_TOPIC),
                Map.entry("POLL_TOPIC_ENDPOINT", endpoint),
                Map.entry("TRANSFER_TOPIC_OCID", TRANSFER_TOPIC),
                Map.entry("TRANSFER_TOPIC_ENDPOINT", endpoint),
                Map.entry("STATUS_TOPIC_OCID", STATUS_TOPIC),
                Map.entry("STATUS_TOPIC_ENDPOINT", endpoint)));
    }

    /** The configuration every function gets; tests may change it before asking for components. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Adds the Data Integration task to the configuration and publishes it in the emulator. */
    public ChainFixture withDataIntegration(List<String> statuses, String errorMessage) {
        settings.put("DI_WORKSPACE_OCID", "ocid1.disworkspace.oc1.iad.ws");
        settings.put("DI_APPLICATION_KEY", "app-key");
        settings.put("DI_TASK_KEY", "task-key");
        oci.dataIntegration().defineTask("ocid1.disworkspace.oc1.iad.ws", "app-key", "task-key", statuses, errorMessage);
        return this;
    }

    public Components components(ConfigKey.Reader reader) {
        Components components = new Components(Configuration.load(ConfigSource.of(settings), reader), identity.provider(), time, time,
                () -> 0.5, log.log());
        opened.add(components);
        return components;
    }

    /** An invocation as Fn hands it to a handler: the body, and a deadline one function timeout from now. */
    public InputEvent invocation(String body) {
        return new ReadOnceInputEvent(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), Headers.emptyHeaders(),
                "call-" + UUID.randomUUID(), time.instant().plus(FUNCTION_TIMEOUT));
    }

    /** Stores a request object in the control bucket and returns the createobject event OCI Events would deliver for it. */
    public String dropRequest(String objectName, String requestJson) {
        oci.objectStorage().put(CONTROL, objectName, requestJson.getBytes(StandardCharsets.UTF_8));
        return createObjectEvent(CONTROL, objectName);
    }

    /** The CloudEvents 0.1 envelope OCI Events sends to a function for a created object. */
    public String createObjectEvent(String bucket, String objectName) {
        StoredObject object = oci.objectStorage().object(bucket, objectName).orElseThrow();
        return envelope("com.oraclecloud.objectstorage.createobject", bucket, objectName, object.etag());
    }

    public String envelope(String eventType, String bucket, String objectName, String etag) {
        return dev.fusionextract.emulator.oci.ObjectEvents.envelope(eventType, oci.objectStorage().namespace(), bucket, objectName, etag,
                time.instant());
    }

    /**
     * The FDK's own test harness with this fixture's configuration, as a deployed function gets it: every key
     * as function config, and OCI calls signed with an OCI config file (written to {@code dir}) whose key the
     * emulator trusts. The function builds its components itself, through {@code @FnConfiguration}.
     */
    public com.fnproject.fn.testing.FnTestingRule fnTestingRule(java.nio.file.Path dir) throws java.io.IOException {
        com.fnproject.fn.testing.FnTestingRule rule = com.fnproject.fn.testing.FnTestingRule.createDefault();
        settings.forEach(rule::setConfig);
        java.nio.file.Path config = dev.fusionextract.emulator.oci.PemKeys.writeOciConfig(dir, identity.keyId(), identity.keys().getPrivate());
        rule.setConfig("OCI_AUTH", "config_file");
        rule.setConfig("OCI_CONFIG_FILE", config.toString());
        return rule;
    }

    /** Every secret this fixture knows: the client secret and every token the simulator issued. */
    public List<String> secretValues() {
        List<String> values = new ArrayList<>(List.of(FusionFixture.CLIENT_SECRET));
        values.addAll(fusion.idcs().issuedTokens());
        return values;
    }

    /** The one run in the control bucket's ledger; fails the test when there is not exactly one. */
    public RunRecord onlyRun() {
        List<String> runs = oci.objectStorage().objectNames(CONTROL).stream().filter(n -> n.startsWith("runs/")).toList();
        if (runs.size() != 1) {
            throw new AssertionError("expected one run in the ledger, found " + runs);
        }
        try {
            return LEDGER_JSON.readValue(oci.objectStorage().object(CONTROL, runs.get(0)).orElseThrow().content(), RunRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Instant now() {
        return time.instant();
    }

    @Override
    public void close() {
        opened.forEach(Components::close);
        fusion.close();
        oci.close();
    }
}
