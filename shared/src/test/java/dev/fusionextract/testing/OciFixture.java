package dev.fusionextract.testing;

import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.oci.OciSettings;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryPolicy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The OCI emulator, and the project's own client factory pointed at it with a trusted test API key. */
public final class OciFixture implements AutoCloseable {

    public static final String CONTROL = "fx-control";
    public static final String LANDING = "fx-landing";

    public final OciEmulator oci = OciEmulator.start();
    public final OciTestAuth identity = OciTestAuth.apiKey().trustedBy(oci);
    public final ManualTime time = new ManualTime();
    public final CapturedLog log = new CapturedLog(time);
    public final OciClients clients;
    /** OCI calls under the default retry policy; waits advance {@link #time} instead of sleeping. */
    public final OciCalls calls;

    public OciFixture() {
        this(RetryPolicy.defaults());
    }

    public OciFixture(RetryPolicy retry) {
        oci.objectStorage().createBucket(CONTROL).createBucket(LANDING);
        clients = new OciClients(OciSettings.load(ConfigSource.of(settings())), identity.provider(), Duration.ofSeconds(20));
        calls = new OciCalls(new Retrier(retry, time, time, () -> 0.5, log.log()));
    }

    public JsonLog jsonLog() {
        return log.log();
    }

    public Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        String endpoint = oci.endpoint().toString();
        settings.put("OCI_OBJECT_STORAGE_ENDPOINT", endpoint);
        settings.put("OCI_SECRETS_ENDPOINT", endpoint);
        settings.put("OCI_DATA_INTEGRATION_ENDPOINT", endpoint);
        settings.put("CONTROL_BUCKET", CONTROL);
        return settings;
    }

    @Override
    public void close() {
        clients.close();
        oci.close();
    }
}
