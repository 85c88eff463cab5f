package dev.fusionextract.testing;

import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.oci.OciSettings;
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
    public final OciClients clients;

    public OciFixture() {
        this(RetryPolicy.defaults());
    }

    public OciFixture(RetryPolicy retry) {
        oci.objectStorage().createBucket(CONTROL).createBucket(LANDING);
        clients = new OciClients(OciSettings.load(ConfigSource.of(settings())), identity.provider(), withShortDelays(retry),
                Duration.ofSeconds(20));
    }

    /** SDK retries wait real time: keep those waits to milliseconds in tests. */
    private static RetryPolicy withShortDelays(RetryPolicy retry) {
        return new RetryPolicy(retry.maxAttempts(), Duration.ofMillis(1), Duration.ofMillis(5), retry.maxElapsed());
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
