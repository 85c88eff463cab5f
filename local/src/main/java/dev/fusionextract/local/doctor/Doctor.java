package dev.fusionextract.local.doctor;

import com.oracle.bmc.auth.AbstractAuthenticationDetailsProvider;
import com.oracle.bmc.dataintegration.model.PublishedObject;
import com.oracle.bmc.dataintegration.requests.GetPublishedObjectRequest;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.model.Bucket;
import com.oracle.bmc.objectstorage.requests.GetBucketRequest;
import dev.fusionextract.config.ConfigException;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.config.ExtractConfig;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.FusionConnection;
import dev.fusionextract.idcs.IdcsTokenClient;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.StageMessages;
import dev.fusionextract.messages.TopicPublisher;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.oci.OciSettings;
import dev.fusionextract.pipeline.PipelineSettings;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryPolicy;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.vault.IdcsCredentials;
import dev.fusionextract.vault.VaultCredentials;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The preflight of a deployment: each thing the chain needs, checked with the same calls the functions make, one
 * {@link Check} each. A check that needs what an earlier one could not give fails as "not checked", so every line
 * names something a person can fix. Each call is tried at most twice, so a broken deployment is reported in seconds.
 */
public final class Doctor {

    /** One line of the report. */
    public record Check(boolean passed, String what, String detail) {
        public String line() {
            return (passed ? "✔ " : "✗ ") + what + ": " + detail;
        }
    }

    /** What the doctor reads: the configuration file's own keys, and the source the functions would read. */
    public record Input(Map<String, String> fileKeys, ConfigSource source, Map<String, String> environment, boolean pingStatus) {
    }

    private static final List<ConfigKey.Reader> FUNCTIONS = List.of(ConfigKey.Reader.SUBMIT, ConfigKey.Reader.POLL, ConfigKey.Reader.TRANSFER);
    /** A preflight reports quickly: two attempts per call, at most 20 seconds of retrying. */
    private static final RetryPolicy QUICK_RETRY = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(20));

    private final Input input;
    private final Clock clock;
    private final Sleeper sleeper;
    private final JsonLog log;
    private final List<Check> checks = new ArrayList<>();

    public Doctor(Input input, Clock clock, Sleeper sleeper, JsonLog log) {
        this.input = input;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** Runs every check, in the order a person would fix them. */
    public List<Check> run() {
        configuration();
        Optional<ExtractConfig> extract = quietly(() -> ExtractConfig.load(input.source()));
        Optional<OciSettings> ociSettings = quietly(() -> OciSettings.load(input.source()));
        Optional<PipelineSettings> submit = quietly(() -> PipelineSettings.load(input.source(), ConfigKey.Reader.SUBMIT));
        Optional<PipelineSettings> poll = quietly(() -> PipelineSettings.load(input.source(), ConfigKey.Reader.POLL));
        Optional<AbstractAuthenticationDetailsProvider> authentication = Optional.empty();
        if (ociSettings.isEmpty()) {
            notChecked("OCI authentication", "the OCI keys of the configuration above");
        } else {
            authentication = authentication(ociSettings.get());
        }
        if (authentication.isEmpty()) {
            for (String what : List.of("Vault secret", "IDCS token", "Fusion batch API", "control bucket", "landing bucket",
                    "POLL topic", "TRANSFER topic", "STATUS topic", "Data Integration task")) {
                notChecked(what, "OCI authentication");
            }
            return List.copyOf(checks);
        }
        Duration timeout = extract.map(ExtractConfig::httpTimeout).orElse(Duration.ofSeconds(60));
        try (OciClients oci = new OciClients(ociSettings.get(), authentication.get(), timeout)) {
            Retrier retrier = new Retrier(QUICK_RETRY, clock, sleeper, () -> ThreadLocalRandom.current().nextDouble(), log);
            OciCalls calls = new OciCalls(retrier);
            if (extract.isPresent()) {
                fusion(extract.get(), oci, retrier, calls);
            } else {
                for (String what : List.of("Vault secret", "IDCS token", "Fusion batch API")) {
                    notChecked(what, "valid Fusion and IDCS keys in the configuration above");
                }
            }
            buckets(oci, ociSettings.get(), submit, calls);
            topics(oci, poll, calls);
            dataIntegration(oci, submit, calls);
        }
        return List.copyOf(checks);
    }

    // ---- configuration

    private void configuration() {
        Map<String, Set<String>> problems = new LinkedHashMap<>();
        Set<String> known = Arrays.stream(ConfigKey.values()).map(Enum::name).collect(Collectors.toSet());
        for (String key : new TreeSet<>(input.fileKeys().keySet())) {
            if (!known.contains(key)) {
                problems.computeIfAbsent("unknown key " + key + " (no function reads it: check its spelling against the README's "
                        + "configuration table)", p -> new TreeSet<>());
            }
        }
        for (ConfigKey.Reader reader : FUNCTIONS) {
            try {
                Configuration.load(input.source(), reader);
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.computeIfAbsent(p, x -> new TreeSet<>()).add(reader.label()));
            } catch (RuntimeException e) {
                problems.computeIfAbsent(Reasons.of(e), x -> new TreeSet<>()).add(reader.label());
            }
        }
        if (problems.isEmpty()) {
            pass("configuration", "valid for " + FUNCTIONS.stream().map(ConfigKey.Reader::label).collect(Collectors.joining(", "))
                    + " (" + input.fileKeys().size() + " keys in the file)");
        } else {
            fail("configuration", problems.entrySet().stream()
                    .map(e -> e.getKey() + (e.getValue().isEmpty() ? "" : " [" + String.join(", ", e.getValue()) + "]"))
                    .collect(Collectors.joining("; ")));
        }
    }

    private Optional<AbstractAuthenticationDetailsProvider> authentication(OciSettings settings) {
        try {
            AbstractAuthenticationDetailsProvider provider = OciClients.authentication(settings, input.environment());
            pass("OCI authentication", settings.authentication() == OciSettings.Authentication.RESOURCE_PRINCIPAL
                    ? "the resource principal of this environment"
                    : "profile " + settings.profile() + " of " + settings.configFile());
            return Optional.of(provider);
        } catch (RuntimeException e) {
            fail("OCI authentication", reason(e));
            return Optional.empty();
        }
    }

    // ---- Vault, IDCS, Fusion

    private void fusion(ExtractConfig extract, OciClients oci, Retrier retrier, OciCalls calls) {
        ExtractConfig.FusionConfig fusion = extract.fusion();
        IdcsCredentials credentials;
        try {
            credentials = new VaultCredentials(oci.secrets(), calls, log.redactor()).read(fusion.secretOcid());
        } catch (RuntimeException e) {
            fail("Vault secret", reason(e));
            notChecked("IDCS token", "the Vault secret");
            notChecked("Fusion batch API", "an IDCS token");
            return;
        }
        Optional<String> scope = FusionConnection.scope(extract, credentials);
        String fields = "clientId, clientSecret" + (credentials.username().isPresent() ? ", username, password" : "")
                + (credentials.scope().isPresent() ? ", scope" : "");
        if (scope.isEmpty()) {
            fail("Vault secret", fusion.secretOcid() + " is readable and holds " + fields + ", but no scope: set "
                    + ConfigKey.FUSION_SCOPE.name() + " (e.g. " + ConfigKey.FUSION_SCOPE.example() + ") or a \"scope\" field in the secret");
            notChecked("IDCS token", "an OAuth scope");
            notChecked("Fusion batch API", "an IDCS token");
            return;
        }
        pass("Vault secret", fusion.secretOcid() + " is readable and holds " + fields);
        HttpClient http = FusionConnection.httpClient(extract);
        IdcsTokenClient tokens = FusionConnection.tokens(extract, http, retrier, clock, log.redactor());
        try {
            tokens.request(credentials, scope.get());
            pass("IDCS token", "granted by " + fusion.idcsUrl() + " for scope " + scope.get() + " ("
                    + (credentials.username().isPresent() ? "password" : "client credentials") + " grant)");
        } catch (RuntimeException e) {
            fail("IDCS token", reason(e));
            notChecked("Fusion batch API", "an IDCS token");
            return;
        }
        try {
            FusionBatchClient client = FusionConnection.client(extract, http, tokens, credentials, scope.get(), retrier, clock, log);
            int seen = client.probe();
            pass("Fusion batch API", fusion.baseUrl() + " answered a read-only list of job requests with this token ("
                    + (seen == 0 ? "no job request yet" : "job requests visible") + ")");
        } catch (RuntimeException e) {
            fail("Fusion batch API", reason(e));
        }
    }

    // ---- Object Storage

    private void buckets(OciClients oci, OciSettings settings, Optional<PipelineSettings> submit, OciCalls calls) {
        String namespace;
        try {
            namespace = oci.namespace();
        } catch (RuntimeException e) {
            fail("control bucket", reason(e));
            fail("landing bucket", reason(e));
            return;
        }
        bucket(oci, calls, namespace, "control bucket", settings.controlBucket(), true,
                "request objects start runs only through an Events rule on this bucket");
        Optional<String> landing = submit.flatMap(PipelineSettings::landingBucket);
        if (landing.isEmpty()) {
            notChecked("landing bucket", "a valid " + ConfigKey.LANDING_BUCKET.name());
            return;
        }
        boolean eventsNeeded = submit.get().dataIntegration().isPresent();
        bucket(oci, calls, namespace, "landing bucket", landing.get(), eventsNeeded,
                "a landed _manifest.json starts the Data Integration task only through an Events rule on this bucket");
    }

    private void bucket(OciClients oci, OciCalls calls, String namespace, String what, String name, boolean eventsNeeded, String why) {
        Bucket bucket;
        try {
            bucket = calls.call("Reading bucket " + name, () -> oci.objectStorage().getBucket(GetBucketRequest.builder()
                    .namespaceName(namespace).bucketName(name).build())).getBucket();
        } catch (BmcException e) {
            fail(what, "bucket " + name + " in namespace " + namespace + " answered HTTP " + e.getStatusCode() + " (" + e.getServiceCode()
                    + "): it does not exist or this principal may not read it; check the bucket name and 'terraform apply' of infra/");
            return;
        } catch (RuntimeException e) {
            fail(what, reason(e));
            return;
        }
        boolean events = Boolean.TRUE.equals(bucket.getObjectEventsEnabled());
        if (eventsNeeded && !events) {
            fail(what, name + " exists but its object events are off, and " + why + ": turn on \"Emit Object Events\" on the bucket "
                    + "(object_events_enabled = true in infra/buckets.tf)");
        } else {
            pass(what, name + " exists" + (events ? ", object events on" : ", object events off (needed only with Data Integration)"));
        }
    }

    // ---- Notifications

    private void topics(OciClients oci, Optional<PipelineSettings> poll, OciCalls calls) {
        if (poll.isEmpty()) {
            notChecked("POLL topic", "valid topic keys");
            notChecked("TRANSFER topic", "valid topic keys");
        } else {
            ping(oci, calls, "POLL topic", poll.get().requirePollTopic(), "poll-function");
            ping(oci, calls, "TRANSFER topic", poll.get().requireTransferTopic(), "transfer-function");
        }
        Optional<PipelineSettings.Topic> status = poll.flatMap(PipelineSettings::statusTopic);
        if (poll.isEmpty()) {
            notChecked("STATUS topic", "valid topic keys");
        } else if (status.isEmpty()) {
            pass("STATUS topic", "not configured (no STATUS messages), skipped");
        } else if (!input.pingStatus()) {
            pass("STATUS topic", "skipped: its subscribers are people or other systems; pass --ping-status to send them a test message");
        } else {
            ping(oci, calls, "STATUS topic", status.get(), "its subscribers");
        }
    }

    private void ping(OciClients oci, OciCalls calls, String what, PipelineSettings.Topic topic, String reader) {
        try {
            String id = new TopicPublisher(oci.notifications(topic.endpoint()), calls, topic.ocid())
                    .publish("PING fusion-extract doctor", StageMessages.ping(clock.instant()));
            pass(what, topic.ocid() + " accepted a test message (id " + id + "); " + reader + " answers it and logs \"doctor ping received\"");
        } catch (RuntimeException e) {
            fail(what, reason(e));
        }
    }

    // ---- Data Integration

    private void dataIntegration(OciClients oci, Optional<PipelineSettings> submit, OciCalls calls) {
        if (submit.isEmpty()) {
            notChecked("Data Integration task", "a valid configuration");
            return;
        }
        Optional<PipelineSettings.DataIntegrationTask> task = submit.get().dataIntegration();
        if (task.isEmpty()) {
            pass("Data Integration task", "not configured (" + ConfigKey.DI_WORKSPACE_OCID.name() + " empty), skipped");
            return;
        }
        PipelineSettings.DataIntegrationTask t = task.get();
        try {
            PublishedObject published = calls.call("Reading Data Integration task " + t.taskKey(), () -> dev.fusionextract.dataintegration.DataIntegrationJobs.client(oci)
                    .getPublishedObject(GetPublishedObjectRequest.builder().workspaceId(t.workspaceId()).applicationKey(t.applicationKey())
                            .publishedObjectKey(t.taskKey()).build())).getPublishedObject();
            pass("Data Integration task", "task " + t.taskKey() + (published.getName() == null ? "" : " (" + published.getName() + ")")
                    + " is published in application " + t.applicationKey());
        } catch (BmcException e) {
            fail("Data Integration task", "task " + t.taskKey() + " in application " + t.applicationKey() + " of workspace " + t.workspaceId()
                    + " answered HTTP " + e.getStatusCode() + " (" + e.getServiceCode() + "): publish the task to that application and check "
                    + ConfigKey.DI_WORKSPACE_OCID.name() + ", " + ConfigKey.DI_APPLICATION_KEY.name() + " and "
                    + ConfigKey.DI_TASK_KEY.name());
        } catch (RuntimeException e) {
            fail("Data Integration task", reason(e));
        }
    }

    // ----

    /** Our own failures' messages already name the thing and the fix; anything else is shown with its type. */
    private String reason(Throwable e) {
        String text = e instanceof dev.fusionextract.failure.ExtractException && e.getMessage() != null ? Reasons.cut(e.getMessage()) : Reasons.of(e);
        return log.redactor().redact(text);
    }

    private void pass(String what, String detail) {
        checks.add(new Check(true, what, log.redactor().redact(detail)));
    }

    private void fail(String what, String detail) {
        checks.add(new Check(false, what, log.redactor().redact(detail)));
    }

    private void notChecked(String what, String needs) {
        fail(what, "not checked: it needs " + needs + " first");
    }

    private static <T> Optional<T> quietly(Supplier<T> load) {
        try {
            return Optional.of(load.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
