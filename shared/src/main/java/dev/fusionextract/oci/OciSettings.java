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
                          Optional<String> namespace, String controlBucket, int partSizeBytes, int partsInFlight, Optional<Metrics> metrics) {

    public enum Authentication { RESOURCE_PRINCIPAL, CONFIG_FILE }

    /** Where run metrics go: a custom namespace in a compartment, through the region's (or this) ingestion endpoint. */
    public record Metrics(String namespace, String compartmentId, Optional<URI> endpoint) {
    }

    /**
     * A custom metric namespace (Monitoring's MetricDataDetails: starts with a letter, then letters, digits or
     * underscores; {@code oci_} is reserved for Oracle's services).
     */
    private static final java.util.regex.Pattern METRIC_NAMESPACE = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,254}");

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
        Optional<URI> monitoring = endpoint(reader, ConfigKey.OCI_MONITORING_ENDPOINT);
        Optional<String> metricsCompartment = reader.optionalText(ConfigKey.METRICS_COMPARTMENT_OCID);
        String metricsNamespace = reader.text(ConfigKey.METRICS_NAMESPACE);
        if (metricsNamespace != null && (!METRIC_NAMESPACE.matcher(metricsNamespace).matches()
                || metricsNamespace.toLowerCase(Locale.ROOT).startsWith("oci_"))) {
            reader.addProblem(ConfigKey.METRICS_NAMESPACE.name() + " must start with a letter and hold only letters, digits and '_', "
                    + "and may not start with oci_ (Oracle's own namespaces); got \"" + metricsNamespace + "\". Example: "
                    + ConfigKey.METRICS_NAMESPACE.example());
        }
        if (metricsCompartment.isPresent() && !metricsCompartment.get().startsWith("ocid1.")) {
            reader.addProblem(ConfigKey.METRICS_COMPARTMENT_OCID.name() + " must be a compartment (or tenancy) OCID. Example: "
                    + ConfigKey.METRICS_COMPARTMENT_OCID.example());
        }
        reader.finish();
        Optional<Metrics> metrics = metricsCompartment.map(c -> new Metrics(metricsNamespace, c, monitoring));
        Path configFile = file.startsWith("~/") ? Path.of(System.getProperty("user.home"), file.substring(2)) : Path.of(file);
        return new OciSettings(authentication, configFile, profile, region, objectStorage, secrets, dataIntegration, namespace,
                controlBucket, partSize * MIB, inFlight, metrics);
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
