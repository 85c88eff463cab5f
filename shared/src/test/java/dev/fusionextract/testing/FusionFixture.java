package dev.fusionextract.testing;

import com.oracle.bmc.secrets.Secrets;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.ExtractConfig;
import dev.fusionextract.emulator.fusion.FusionSimulator;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.FusionConnection;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.oci.OciSettings;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Fusion simulator, the OCI emulator holding the IDCS credentials in a Vault secret, and the project's
 * own OCI client factory pointed at it; retries wait on a {@link ManualTime}, so nothing sleeps for real.
 */
public final class FusionFixture implements AutoCloseable {

    public static final String CLIENT_ID = "fx-client-6f1d2c";
    public static final String CLIENT_SECRET = "cs-7Hq!Zr2$wPx9-secret";
    public static final String USERNAME = "extract.integration";
    public static final String PASSWORD = "pw-Q4v#Lm8&Tn3-secret";
    public static final String SECRET_OCID = "ocid1.vaultsecret.oc1.iad.fixturesecret";

    public final ManualTime time = new ManualTime();
    public final CapturedLog log = new CapturedLog(time);
    public final FusionSimulator fusion = FusionSimulator.start(0, time);
    public final OciEmulator oci = OciEmulator.start();
    private final OciClients ociClients;
    public final Secrets secrets;

    public FusionFixture() {
        fusion.idcs().addClient(CLIENT_ID, CLIENT_SECRET).addUser(USERNAME, PASSWORD);
        storeSecret("{\"clientId\":\"" + CLIENT_ID + "\",\"clientSecret\":\"" + CLIENT_SECRET + "\"}");
        ociClients = new OciClients(OciSettings.load(ConfigSource.of(java.util.Map.of(
                "OCI_SECRETS_ENDPOINT", oci.endpoint().toString(), "CONTROL_BUCKET", "control"))),
                OciTestAuth.apiKey().trustedBy(oci).provider(), java.time.Duration.ofSeconds(10));
        secrets = ociClients.secrets();
    }

    public void storeSecret(String json) {
        oci.secrets().put(SECRET_OCID, json.getBytes(StandardCharsets.UTF_8));
    }

    public Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("FUSION_BASE_URL", fusion.baseUri().toString());
        settings.put("IDCS_URL", fusion.baseUri().toString());
        settings.put("IDCS_SECRET_OCID", SECRET_OCID);
        settings.put("FUSION_SCOPE", fusion.batchScope());
        settings.put("HTTP_TIMEOUT_SECONDS", "10");
        return settings;
    }

    public ExtractConfig config() {
        return ExtractConfig.load(ConfigSource.of(settings()));
    }

    public FusionBatchClient client() {
        return client(config());
    }

    public FusionBatchClient client(ExtractConfig config) {
        return FusionConnection.open(config, secrets, FusionConnection.httpClient(config), log.log(), time, time, () -> 0.5);
    }

    /** Every secret value this fixture knows, for leak checks. */
    public List<String> secretValues() {
        List<String> values = new java.util.ArrayList<>(List.of(CLIENT_SECRET, PASSWORD));
        values.addAll(fusion.idcs().issuedTokens());
        return values;
    }

    @Override
    public void close() {
        ociClients.close();
        fusion.close();
        oci.close();
    }
}
