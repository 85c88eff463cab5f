package dev.fusionextract.oci;

import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigReader;
import dev.fusionextract.config.ConfigSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** How to reach OCI: authentication, region, endpoint overrides, namespace, the control bucket and upload sizing. */
public record OciSettings(Authentication authentication, Path configFile, String profile, Optional<String> region,
                          Optional<URI> objectStorageEndpoint, Optional<URI> secretsEndpoint, Optional<URI> dataIntegrationEndpoint,
                          Optional<String> namespace, String controlBucket, int partSizeBytes, int partsInFlight) {

    public enum Authentication { RESOURCE_PRINCIPAL, CONFIG_FILE }

    private static final int MIB = 1024 * 1024;

    public static OciSettings load(ConfigSource source) {
        ConfigReader reader = new ConfigReader(source);
        Authentication authentication = reader.choice(ConfigKey.OCI_AUTH, OciSettings::authentication, "resource_principal, config_file");
        String file = reader.text(ConfigKey.OCI_CONFIG_FILE);
        String profile = reader.text(ConfigKey.OCI_CONFIG_PROFILE);
        Optional<String> region = reader.optionalText(ConfigKey.OCI_REGION);
        Optional<URI> objectStorage = endpoint(reader, ConfigKey.OCI_OBJECT_STORAGE_ENDPOINT);
        Optional<URI> secrets = endpoint(reader, ConfigKey.OCI_SECRETS_ENDPOINT);
        Optional<URI> dataIntegration = endpoint(reader, ConfigKey.OCI_DATA_INTEGRATION_ENDPOINT);
        Optional<String> namespace = reader.optionalText(ConfigKey.OCI_NAMESPACE);
        String controlBucket = reader.bucket(ConfigKey.CONTROL_BUCKET);
        int partSize = reader.integer(ConfigKey.UPLOAD_PART_SIZE_MIB, 1, 1024);
        int inFlight = reader.integer(ConfigKey.UPLOAD_PARTS_IN_FLIGHT, 1, 32);
        reader.finish();
        Path configFile = file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2)) : Path.of(file);
        return new OciSettings(authentication, configFile, profile, region, objectStorage, secrets, dataIntegration, namespace,
                controlBucket, partSize * MIB, inFlight);
    }

    /**
     * Upload buffers must leave the JVM room for everything else: at most half of its heap ({@code maxHeap}, what
     * the function's memory gives it). Returns the problem, if any.
     */
    public Optional<String> memoryProblem(long maxHeap) {
        long buffers = (long) partSizeBytes * partsInFlight;
        if (buffers <= maxHeap / 2) {
            return Optional.empty();
        }
        return Optional.of("UPLOAD_PART_SIZE_MIB x UPLOAD_PARTS_IN_FLIGHT = " + buffers / MIB + " MiB of upload buffers, more than half of "
                + "this function's " + maxHeap / MIB + " MiB heap: lower one of them (e.g. UPLOAD_PARTS_IN_FLIGHT=2) or give the "
                + "function more memory.");
    }

    private static Optional<URI> endpoint(ConfigReader reader, ConfigKey key) {
        return reader.optionalText(key).isEmpty() ? Optional.empty() : Optional.ofNullable(reader.baseUrl(key));
    }

    private static Optional<Authentication> authentication(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "resource_principal" -> Optional.of(Authentication.RESOURCE_PRINCIPAL);
            case "config_file" -> Optional.of(Authentication.CONFIG_FILE);
            default -> Optional.empty();
        };
    }
}
