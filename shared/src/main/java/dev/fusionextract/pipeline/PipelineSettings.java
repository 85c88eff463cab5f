package dev.fusionextract.pipeline;

import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigReader;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.transfer.ZipGuard;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the stages hand over and pace themselves: buckets and prefixes, topics, time limits, and the optional
 * Data Integration task. Each component reads only its own keys ({@link ConfigKey#readBy}).
 */
public record PipelineSettings(Optional<String> landingBucket, String requestPrefix, String landingPrefix, Optional<Topic> pollTopic,
                               Optional<Topic> transferTopic, Optional<Topic> statusTopic, Duration maxRun, Duration pollInterval,
                               Duration pollMaxInterval, Duration deadlineMargin, Optional<DataIntegrationTask> dataIntegration,
                               ZipGuard.Limits zipLimits, int transferWorkers) {

    /** A Notifications topic and its own publish endpoint. */
    public record Topic(String ocid, URI endpoint) {
    }

    /** The published Data Integration task run on each landed manifest. */
    public record DataIntegrationTask(String workspaceId, String applicationKey, String taskKey) {
    }

    public static PipelineSettings load(ConfigSource source, ConfigKey.Reader reader) {
        ConfigReader config = new ConfigReader(source);
        Function<ConfigKey, Optional<String>> text = key -> key.readBy(reader) ? config.optionalText(key) : Optional.empty();
        Optional<String> landing = ConfigKey.LANDING_BUCKET.readBy(reader) ? Optional.ofNullable(config.bucket(ConfigKey.LANDING_BUCKET))
                .filter(b -> !b.isEmpty()) : Optional.empty();
        String requestPrefix = ConfigKey.REQUEST_PREFIX.readBy(reader) ? config.prefix(ConfigKey.REQUEST_PREFIX, true) : "";
        String landingPrefix = ConfigKey.LANDING_PREFIX.readBy(reader) ? config.prefix(ConfigKey.LANDING_PREFIX, false) : "";
        Optional<Topic> poll = topic(config, reader, ConfigKey.POLL_TOPIC_OCID, ConfigKey.POLL_TOPIC_ENDPOINT);
        Optional<Topic> transfer = topic(config, reader, ConfigKey.TRANSFER_TOPIC_OCID, ConfigKey.TRANSFER_TOPIC_ENDPOINT);
        Optional<Topic> status = topic(config, reader, ConfigKey.STATUS_TOPIC_OCID, ConfigKey.STATUS_TOPIC_ENDPOINT);
        int maxRun = minutesOrSeconds(config, reader, ConfigKey.MAX_RUN_MINUTES, 1, 60 * 24 * 14);
        int interval = minutesOrSeconds(config, reader, ConfigKey.POLL_INTERVAL_SECONDS, 1, 3600);
        int maxInterval = minutesOrSeconds(config, reader, ConfigKey.POLL_MAX_INTERVAL_SECONDS, 1, 3600);
        int margin = config.integer(ConfigKey.DEADLINE_MARGIN_SECONDS, 0, 600);
        Optional<String> workspace = text.apply(ConfigKey.DI_WORKSPACE_OCID);
        Optional<String> application = text.apply(ConfigKey.DI_APPLICATION_KEY);
        Optional<String> task = text.apply(ConfigKey.DI_TASK_KEY);
        Optional<DataIntegrationTask> dataIntegration = Optional.empty();
        int diSet = (workspace.isPresent() ? 1 : 0) + (application.isPresent() ? 1 : 0) + (task.isPresent() ? 1 : 0);
        if (diSet == 3) {
            dataIntegration = Optional.of(new DataIntegrationTask(workspace.get(), application.get(), task.get()));
        } else if (diSet > 0) {
            config.addProblem("DI_WORKSPACE_OCID, DI_APPLICATION_KEY and DI_TASK_KEY go together: set all three to load landed "
                    + "files with Data Integration, or none.");
        }
        int maxEntries = minutesOrSeconds(config, reader, ConfigKey.ZIP_MAX_ENTRIES, 1, 10_000_000);
        int maxGib = minutesOrSeconds(config, reader, ConfigKey.ZIP_MAX_UNZIPPED_GIB, 1, 100_000);
        int maxRatio = minutesOrSeconds(config, reader, ConfigKey.ZIP_MAX_RATIO, 2, 100_000);
        int workers = minutesOrSeconds(config, reader, ConfigKey.TRANSFER_WORKERS, 1, dev.fusionextract.messages.StageMessage.MAX_WORKERS);
        if (ConfigKey.POLL_MAX_INTERVAL_SECONDS.readBy(reader) && maxInterval < interval) {
            config.addProblem("POLL_MAX_INTERVAL_SECONDS (" + maxInterval + ") must not be below POLL_INTERVAL_SECONDS (" + interval + ").");
        }
        config.finish();
        return new PipelineSettings(landing, requestPrefix, landingPrefix, poll, transfer, status, Duration.ofMinutes(maxRun),
                Duration.ofSeconds(interval), Duration.ofSeconds(maxInterval), Duration.ofSeconds(margin), dataIntegration,
                new ZipGuard.Limits(maxEntries, (long) maxGib << 30, maxRatio), workers);
    }

    /** A number the reader reads, or its default for components that do not. */
    private static int minutesOrSeconds(ConfigReader config, ConfigKey.Reader reader, ConfigKey key, int min, int max) {
        return key.readBy(reader) ? config.integer(key, min, max) : Integer.parseInt(key.defaultValue().orElseThrow());
    }

    private static Optional<Topic> topic(ConfigReader config, ConfigKey.Reader reader, ConfigKey ocidKey, ConfigKey endpointKey) {
        if (!ocidKey.readBy(reader)) {
            return Optional.empty();
        }
        Optional<String> ocid = config.optionalText(ocidKey);
        Optional<String> endpoint = config.optionalText(endpointKey);
        if (ocid.isPresent() != endpoint.isPresent()) {
            config.addProblem(ocidKey.name() + " and " + endpointKey.name() + " go together: publish to the topic's own api_endpoint. "
                    + "Example: " + endpointKey.example());
            return Optional.empty();
        }
        if (ocid.isEmpty()) {
            return Optional.empty();
        }
        URI uri = config.baseUrl(endpointKey);
        return uri == null ? Optional.empty() : Optional.of(new Topic(ocid.get(), uri));
    }

    public Topic requirePollTopic() {
        return pollTopic.orElseThrow(() -> new IllegalStateException("POLL topic not configured"));
    }

    public Topic requireTransferTopic() {
        return transferTopic.orElseThrow(() -> new IllegalStateException("TRANSFER topic not configured"));
    }
}
