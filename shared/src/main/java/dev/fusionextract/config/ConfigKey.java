package dev.fusionextract.config;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every configuration key the project reads, chosen once. Function configuration (Fn {@code config}, set by
 * {@code infra/}) and the workstation's environment use the same names. The README's configuration table is
 * checked against this list by a test.
 */
public enum ConfigKey {

    FUSION_BASE_URL(null, "https://fa-abcd-saasfaprod1.fa.ocs.oraclecloud.com",
            "Base URL of the Fusion pod. https://, or http:// only on a loopback host (local emulation).", Reader.FUSION_USERS),
    IDCS_URL(null, "https://idcs-0123456789abcdef0123456789abcdef.identity.oraclecloud.com",
            "Base URL of the IDCS / identity domain that issues tokens for Fusion (the token endpoint is /oauth2/v1/token).",
            Reader.FUSION_USERS),
    IDCS_SECRET_OCID(null, "ocid1.vaultsecret.oc1.iad.amaaaaaaexample",
            "OCID of the Vault secret holding the IDCS credentials as JSON (see \"Credentials\").", Reader.FUSION_USERS),
    FUSION_SCOPE("", "urn:opc:resource:fusion:fa-abcd:saas-batch/",
            "OAuth scope for the batch API. Empty: the secret's `scope` field. One of the two must be set.", Reader.FUSION_USERS),
    FUSION_SCHEDULE_DATE_FORMAT("MM/dd/yyyy", "yyyy-MM-dd",
            "How start and end dates of a recurring job are written to Fusion: `MM/dd/yyyy` (Oracle's page) or `yyyy-MM-dd`.",
            EnumSet.of(Reader.SUBMIT, Reader.CLI)),
    HTTP_TIMEOUT_SECONDS("60", "30",
            "Connect timeout, wait for response headers (an OCI upload gets one more second per MiB of its body), and longest silence inside a download, for Fusion, IDCS and OCI calls.",
            Reader.FUSION_USERS),
    RETRY_MAX_ATTEMPTS("6", "4", "Attempts per Fusion, IDCS or OCI call before it fails (1 = no retry).", Reader.FUSION_USERS),
    RETRY_BASE_DELAY_MILLIS("500", "200", "First backoff ceiling; doubles per attempt, with full jitter.", Reader.FUSION_USERS),
    RETRY_MAX_DELAY_SECONDS("30", "10", "Largest backoff ceiling between two attempts.", Reader.FUSION_USERS),
    RETRY_MAX_ELAPSED_SECONDS("120", "60",
            "Longest time one call may spend retrying, waits included (a Retry-After beyond it fails the call).", Reader.FUSION_USERS),
    LOG_LEVEL("INFO", "DEBUG", "Lowest level written to the JSON log: DEBUG, INFO, WARN or ERROR.", Reader.ALL),

    OCI_AUTH("resource_principal", "config_file",
            "How OCI calls are signed: `resource_principal` (what OCI Functions provides) or `config_file` (a workstation's ~/.oci/config).",
            Reader.ALL),
    OCI_CONFIG_FILE("~/.oci/config", "/home/me/.oci/config", "The OCI config file, with OCI_AUTH=config_file.", EnumSet.of(Reader.CLI)),
    OCI_CONFIG_PROFILE("DEFAULT", "FUSION", "The profile in OCI_CONFIG_FILE, with OCI_AUTH=config_file.", EnumSet.of(Reader.CLI)),
    OCI_REGION("", "us-ashburn-1",
            "Region of the OCI services. Empty: the resource principal's region, or the config profile's.", Reader.ALL),
    OCI_OBJECT_STORAGE_ENDPOINT("", "http://127.0.0.1:9090",
            "Object Storage endpoint instead of the region's (the emulator, a private endpoint).", Reader.ALL),
    OCI_SECRETS_ENDPOINT("", "http://127.0.0.1:9090", "Vault secrets endpoint instead of the region's.", Reader.ALL),
    OCI_DATA_INTEGRATION_ENDPOINT("", "http://127.0.0.1:9090", "Data Integration endpoint instead of the region's.", Reader.ALL),
    OCI_MONITORING_ENDPOINT("", "http://127.0.0.1:9090",
            "Monitoring endpoint metrics are posted to instead of the region's telemetry-ingestion endpoint.", Reader.ALL),
    METRICS_COMPARTMENT_OCID("", "ocid1.compartment.oc1..aaaaaaaaexample",
            "Compartment the run metrics are posted in (OCI Monitoring, custom metrics). Empty: no metrics.", Reader.ALL),
    METRICS_NAMESPACE("fusion_extract", "fusion_extract_prod",
            "Custom metric namespace of the run metrics: a letter, then letters, digits or '_'; not oci_...", Reader.ALL),
    OCI_NAMESPACE("", "axaxnpcrorw5",
            "Object Storage namespace. Empty: asked from Object Storage once per container.", Reader.ALL),
    CONTROL_BUCKET(null, "fusion-extract-control", "Bucket for request objects and the run ledger (runs/<runId>.json).", Reader.ALL),
    UPLOAD_PART_SIZE_MIB("16", "32",
            "Size of one multipart upload part in MiB; objects up to this size are written with one PUT.",
            EnumSet.of(Reader.TRANSFER, Reader.CLI)),
    UPLOAD_PARTS_IN_FLIGHT("4", "2",
            "Parts uploaded at once per object; upload memory is at most part size x parts in flight.",
            EnumSet.of(Reader.TRANSFER, Reader.CLI)),

    LANDING_BUCKET(null, "fusion-extract-landing", "Bucket the extracted files land in; its _manifest.json objects start Data Integration.",
            EnumSet.of(Reader.SUBMIT, Reader.TRANSFER, Reader.CLI)),
    REQUEST_PREFIX("requests/", "inbox/", "Prefix of request objects in CONTROL_BUCKET; a new object there starts a run.",
            EnumSet.of(Reader.SUBMIT, Reader.CLI)),
    LANDING_PREFIX("fusion", "erp/extracts", "Default first folder of landed objects, when a request names none.",
            EnumSet.of(Reader.SUBMIT, Reader.CLI)),
    POLL_TOPIC_OCID(null, "ocid1.onstopic.oc1.iad.amaaaaaapoll", "Topic of POLL messages (submit-function and poll-function publish, poll-function listens).",
            EnumSet.of(Reader.SUBMIT, Reader.POLL)),
    POLL_TOPIC_ENDPOINT(null, "https://cell1.notification.us-ashburn-1.oci.oraclecloud.com",
            "The POLL topic's own api_endpoint, where its messages are published.", EnumSet.of(Reader.SUBMIT, Reader.POLL)),
    TRANSFER_TOPIC_OCID(null, "ocid1.onstopic.oc1.iad.amaaaaaatransfer",
            "Topic of TRANSFER messages (poll-function publishes, transfer-function listens and continues; the sweep re-sends a lost one).",
            EnumSet.of(Reader.SUBMIT, Reader.POLL, Reader.TRANSFER)),
    TRANSFER_TOPIC_ENDPOINT(null, "https://cell1.notification.us-ashburn-1.oci.oraclecloud.com",
            "The TRANSFER topic's own api_endpoint.", EnumSet.of(Reader.SUBMIT, Reader.POLL, Reader.TRANSFER)),
    STATUS_TOPIC_OCID("", "ocid1.onstopic.oc1.iad.amaaaaaastatus",
            "Topic told of every run that ends (LANDED, LOADED, FAILED, TIMED_OUT, REJECTED). Empty: none.", Reader.ALL),
    STATUS_TOPIC_ENDPOINT("", "https://cell1.notification.us-ashburn-1.oci.oraclecloud.com",
            "The STATUS topic's own api_endpoint (required with STATUS_TOPIC_OCID).", Reader.ALL),
    MAX_RUN_MINUTES("720", "180",
            "Longest a run may stay in one phase (requested, the Fusion job from submission, the transfer, the Data Integration run) "
                    + "before it is TIMED_OUT; poll-function and the sweep enforce it.",
            EnumSet.of(Reader.SUBMIT, Reader.POLL, Reader.CLI)),
    POLL_INTERVAL_SECONDS("15", "5", "First wait between two status checks; it grows by half each time.", EnumSet.of(Reader.POLL, Reader.CLI)),
    POLL_MAX_INTERVAL_SECONDS("120", "60", "Longest wait between two status checks.", EnumSet.of(Reader.POLL, Reader.CLI)),
    DEADLINE_MARGIN_SECONDS("30", "20",
            "Time kept free before the invocation's Fn-Deadline: work stops and hands over to a new invocation this early.",
            Reader.ALL),
    DI_WORKSPACE_OCID("", "ocid1.disworkspace.oc1.iad.amaaaaaaexample",
            "Data Integration workspace of the task to run on each landed manifest. Empty: no Data Integration.",
            EnumSet.of(Reader.SUBMIT, Reader.POLL, Reader.CLI)),
    DI_APPLICATION_KEY("", "5b9c2d1e-0f1a-4c3b-9e8d-7a6b5c4d3e2f", "Key of the Data Integration application that holds the published task.",
            EnumSet.of(Reader.SUBMIT, Reader.POLL, Reader.CLI)),
    DI_TASK_KEY("", "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
            "Key of the published task; it gets the parameters LANDED_PREFIX and MANIFEST_PATH.", EnumSet.of(Reader.SUBMIT, Reader.POLL, Reader.CLI)),
    TRANSFER_WORKERS("1", "4", "Transfer invocations that land one run's output files at once, taking files one by one (1 to 16); "
            + "1 lands them one after another in one invocation at a time.", EnumSet.of(Reader.TRANSFER, Reader.CLI)),
    ZIP_MAX_ENTRIES("10000", "50000", "Most entries one output ZIP may hold; more fails the run (zip bomb guard).",
            EnumSet.of(Reader.TRANSFER, Reader.CLI)),
    ZIP_MAX_UNZIPPED_GIB("150", "300", "Most bytes one output ZIP may unzip to, counted on the bytes actually read; at most "
            + "UPLOAD_PART_SIZE_MIB x 10,000 (an entry must fit in one multipart upload of at most 10,000 parts).",
            EnumSet.of(Reader.TRANSFER, Reader.CLI)),
    ZIP_MAX_RATIO("200", "100", "Highest ratio of unzipped to zipped bytes an output ZIP may reach, once past 1 MiB unzipped.",
            EnumSet.of(Reader.TRANSFER, Reader.CLI));

    public boolean readBy(Reader reader) {
        return readers.contains(reader);
    }

    /** Who reads a key. */
    public enum Reader {
        SUBMIT("submit-function"), POLL("poll-function"), TRANSFER("transfer-function"), CLI("fusion-extract run");

        static final Set<Reader> ALL = EnumSet.allOf(Reader.class);
        static final Set<Reader> FUSION_USERS = ALL;

        private final String label;

        Reader(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String defaultValue;
    private final String example;
    private final String description;
    private final Set<Reader> readers;

    ConfigKey(String defaultValue, String example, String description, Set<Reader> readers) {
        this.defaultValue = defaultValue;
        this.example = example;
        this.description = description;
        this.readers = Set.copyOf(readers);
    }

    /** Empty for a required key; an empty string for an optional key with no default. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean required() {
        return defaultValue == null;
    }

    public String example() {
        return example;
    }

    public String description() {
        return description;
    }

    public Set<Reader> readers() {
        return readers;
    }
}
