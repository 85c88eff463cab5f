package dev.fusionextract.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.Region;
import com.oracle.bmc.auth.AbstractAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ResourcePrincipalAuthenticationDetailsProvider;
import com.oracle.bmc.common.ClientBuilderBase;
import com.oracle.bmc.http.signing.RequestSignerFactory;
import com.oracle.bmc.http.signing.SigningStrategy;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.monitoring.Monitoring;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import com.oracle.bmc.ons.NotificationDataPlane;
import com.oracle.bmc.ons.NotificationDataPlaneClient;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.util.CircuitBreakerUtils;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.oci.http.JdkHttpProvider;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds every OCI SDK client once per container, from one authentication provider, with the same deliberate
 * settings:
 * <ul>
 *   <li>no circuit breaker: a function lives for minutes and retries across invocations; a breaker opened by
 *       one burst of 503s would fail later, healthy calls of the same warm container;</li>
 *   <li>no SDK retries: every call goes through {@link OciCalls} instead, one retry policy for all of the
 *       project's calls (RETRY_*), on an injectable clock, and one that also retries a connection that broke
 *       before an answer came, which the SDK's retrier cannot do;</li>
 *   <li>an endpoint override, when configured, is set on the builder and no region is set after it (a region
 *       set later would replace the endpoint).</li>
 * </ul>
 */
public final class OciClients implements AutoCloseable {

    private final OciSettings settings;
    private final AbstractAuthenticationDetailsProvider authentication;
    private final ClientConfiguration configuration;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Map<URI, NotificationDataPlane> notifications = new ConcurrentHashMap<>();
    private ObjectStorage objectStorage;
    private Secrets secrets;
    private final Map<Class<?>, Object> optionalClients = new java.util.HashMap<>();
    private Monitoring monitoring;
    private String namespace;

    public OciClients(OciSettings settings, AbstractAuthenticationDetailsProvider authentication, Duration timeout) {
        this.settings = settings;
        this.authentication = authentication;
        this.configuration = configuration(timeout);
    }

    /** The provider OCI_AUTH asks for; {@code environment} is the process environment in production. */
    public static AbstractAuthenticationDetailsProvider authentication(OciSettings settings, Map<String, String> environment) {
        return switch (settings.authentication()) {
            case RESOURCE_PRINCIPAL -> resourcePrincipal(environment, settings.region());
            case CONFIG_FILE -> configFile(settings);
        };
    }

    /**
     * Resource principal v2.2, as OCI Functions provides it: the RPST and the private key are files (or, when
     * the value is not an absolute path, the literal token and PEM).
     */
    static AbstractAuthenticationDetailsProvider resourcePrincipal(Map<String, String> environment, Optional<String> regionOverride) {
        String version = environment.get("OCI_RESOURCE_PRINCIPAL_VERSION");
        String rpst = environment.get("OCI_RESOURCE_PRINCIPAL_RPST");
        String pem = environment.get("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM");
        String region = regionOverride.orElse(environment.get("OCI_RESOURCE_PRINCIPAL_REGION"));
        if (!"2.2".equals(version) || rpst == null || pem == null || region == null) {
            throw new PermanentException("No resource principal in this environment (OCI_RESOURCE_PRINCIPAL_VERSION=2.2 with "
                    + "_RPST, _PRIVATE_PEM and _REGION is what OCI Functions provides). On a workstation set "
                    + ConfigKey.OCI_AUTH.name() + "=config_file.");
        }
        String passphrase = environment.get("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE");
        try {
            Optional<ResourcePrincipal> read = ResourcePrincipal.of(rpst, pem, passphrase, Region.fromRegionCodeOrId(region));
            if (read.isPresent()) {
                return read.get();
            }
            return ResourcePrincipalAuthenticationDetailsProvider.builder().build_2_2(pem, passphrase, rpst, region, "");
        } catch (RuntimeException e) {
            // The SDK's message may quote the token or key when they are given literally: keep only the type.
            throw new PermanentException("The resource principal could not be loaded (" + e.getClass().getSimpleName()
                    + "); check the function's OCI_RESOURCE_PRINCIPAL_* environment.");
        }
    }

    private static AbstractAuthenticationDetailsProvider configFile(OciSettings settings) {
        try {
            return new ConfigFileAuthenticationDetailsProvider(settings.configFile().toString(), settings.profile());
        } catch (IOException | RuntimeException e) {
            throw new PermanentException("Cannot use profile " + settings.profile() + " of OCI config file " + settings.configFile()
                    + " (" + e.getClass().getSimpleName() + "): create it with 'oci setup config', or set "
                    + ConfigKey.OCI_CONFIG_FILE.name() + " / " + ConfigKey.OCI_CONFIG_PROFILE.name() + ".");
        }
    }

    static ClientConfiguration configuration(Duration timeout) {
        return ClientConfiguration.builder()
                .connectionTimeoutMillis((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .readTimeoutMillis((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration())
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .build();
    }

    public synchronized ObjectStorage objectStorage() {
        if (objectStorage == null) {
            objectStorage = build(ObjectStorageClient.builder(), settings.objectStorageEndpoint());
        }
        return objectStorage;
    }

    public synchronized Secrets secrets() {
        if (secrets == null) {
            secrets = build(SecretsClient.builder(), settings.secretsEndpoint());
        }
        return secrets;
    }

    /**
     * The client of a service whose SDK module only some functions ship (Data Integration: not transfer-function),
     * made once by {@code make} with {@link #build}. This class names no such module, so it loads without it.
     */
    public synchronized <C> C optional(Class<C> service, java.util.function.Function<OciClients, C> make) {
        Object client = optionalClients.get(service);
        if (client == null) {
            client = make.apply(this);
            optionalClients.put(service, client);
        }
        return service.cast(client);
    }

    /** A client built with the same settings as every other, closed with them. */
    public <B extends ClientBuilderBase<B, C>, C> C build(B builder, Optional<URI> endpoint) {
        return open(() -> configured(builder, endpoint));
    }

    /**
     * The Monitoring client metrics are posted with: PostMetricData is served by the region's telemetry-ingestion
     * endpoint, not the SDK's default telemetry one (Monitoring's "Publishing Custom Metrics" page), unless
     * OCI_MONITORING_ENDPOINT says otherwise.
     */
    public synchronized Monitoring monitoring(Optional<URI> endpoint) {
        if (monitoring == null) {
            monitoring = open(() -> {
                MonitoringClient client = configured(MonitoringClient.builder(), endpoint);
                if (endpoint.isEmpty()) {
                    client.setEndpoint(client.getEndpoint().replace("://telemetry.", "://telemetry-ingestion."));
                }
                return client;
            });
        }
        return monitoring;
    }

    /** A Notifications client bound to one topic's own endpoint (the topic's {@code api_endpoint}). */
    public NotificationDataPlane notifications(URI topicEndpoint) {
        return notifications.computeIfAbsent(topicEndpoint,
                endpoint -> build(NotificationDataPlaneClient.builder(), Optional.of(endpoint)));
    }

    /** OCI_NAMESPACE, or the tenancy's namespace asked from Object Storage once. */
    public synchronized String namespace() {
        if (namespace == null) {
            namespace = settings.namespace().orElseGet(() -> {
                try {
                    return objectStorage().getNamespace(GetNamespaceRequest.builder().build()).getValue();
                } catch (BmcException e) {
                    throw new PermanentException("Cannot read the Object Storage namespace (HTTP " + e.getStatusCode() + ", "
                            + e.getServiceCode() + "): set " + ConfigKey.OCI_NAMESPACE.name() + " or check the policy.");
                }
            });
        }
        return namespace;
    }

    public OciSettings settings() {
        return settings;
    }

    private <B extends ClientBuilderBase<B, C>, C> C configured(B builder, Optional<URI> endpoint) {
        builder.configuration(configuration);
        builder.httpProvider(JdkHttpProvider.INSTANCE);
        if (authentication instanceof ResourcePrincipal principal) {
            Map<SigningStrategy, RequestSignerFactory> signers = principal.signers();
            builder.requestSignerFactory(signers.get(SigningStrategy.STANDARD));
            builder.signingStrategyRequestSignerFactories(signers);
        }
        endpoint.ifPresent(uri -> builder.endpoint(uri.toString()));
        if (endpoint.isEmpty() && settings.region().isPresent() && builder instanceof com.oracle.bmc.common.RegionalClientBuilder<?, ?> regional) {
            regional.region(Region.fromRegionCodeOrId(settings.region().get()));
        }
        return builder.build(authentication);
    }

    private synchronized <C> C open(Supplier<C> factory) {
        C client = factory.get();
        if (client instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable client : opened) {
            try {
                client.close();
            } catch (Exception e) {
                // closing is best effort
            }
        }
        opened.clear();
    }
}
