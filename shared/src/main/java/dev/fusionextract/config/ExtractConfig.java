package dev.fusionextract.config;

import dev.fusionextract.fusion.ScheduleDateFormat;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.retry.RetryPolicy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated configuration of a function or a workstation run. {@link #load} reports every missing or
 * malformed key in one {@link ConfigException}.
 */
public record ExtractConfig(FusionConfig fusion, RetryPolicy retry, Duration httpTimeout, JsonLog.Level logLevel) {

    private static final Pattern SECRET_OCID = Pattern.compile("ocid1\\.vaultsecret\\.[a-z0-9-]+\\.[a-z0-9-]*\\.[A-Za-z0-9._-]+");

    /** Where the Fusion pod, its identity domain and the credentials are. */
    public record FusionConfig(URI baseUrl, URI idcsUrl, String secretOcid, Optional<String> scope,
                               ScheduleDateFormat scheduleDateFormat) {
    }

    public static ExtractConfig load(ConfigSource source) {
        ConfigReader reader = new ConfigReader(source);
        URI baseUrl = reader.baseUrl(ConfigKey.FUSION_BASE_URL);
        URI idcsUrl = reader.baseUrl(ConfigKey.IDCS_URL);
        if (idcsUrl != null && idcsUrl.getRawPath() != null && !idcsUrl.getRawPath().isEmpty()) {
            // The token endpoint's path is added by the client: a configured path would make every request 404.
            reader.addProblem(ConfigKey.IDCS_URL.name() + " must be the identity domain's base URL without a path (the client adds "
                    + "/oauth2/v1/token), got a path \"" + idcsUrl.getRawPath() + "\". Example: " + ConfigKey.IDCS_URL.example());
        }
        String secretOcid = reader.text(ConfigKey.IDCS_SECRET_OCID);
        if (secretOcid != null && !SECRET_OCID.matcher(secretOcid).matches()) {
            reader.addProblem(ConfigKey.IDCS_SECRET_OCID.name() + " must be a Vault secret OCID (ocid1.vaultsecret...). Example: "
                    + ConfigKey.IDCS_SECRET_OCID.example());
        }
        Optional<String> scope = reader.optionalText(ConfigKey.FUSION_SCOPE);
        ScheduleDateFormat dates = reader.choice(ConfigKey.FUSION_SCHEDULE_DATE_FORMAT, ScheduleDateFormat::fromPattern,
                ScheduleDateFormat.allowedPatterns());
        int timeout = reader.integer(ConfigKey.HTTP_TIMEOUT_SECONDS, 1, 600);
        int attempts = reader.integer(ConfigKey.RETRY_MAX_ATTEMPTS, 1, 20);
        int baseDelay = reader.integer(ConfigKey.RETRY_BASE_DELAY_MILLIS, 0, 60_000);
        int maxDelay = reader.integer(ConfigKey.RETRY_MAX_DELAY_SECONDS, 0, 600);
        int maxElapsed = reader.integer(ConfigKey.RETRY_MAX_ELAPSED_SECONDS, 0, 3600);
        JsonLog.Level level = reader.choice(ConfigKey.LOG_LEVEL, ExtractConfig::level, "DEBUG, INFO, WARN, ERROR");
        reader.finish();
        return new ExtractConfig(
                new FusionConfig(baseUrl, idcsUrl, secretOcid, scope, dates),
                new RetryPolicy(attempts, Duration.ofMillis(baseDelay), Duration.ofSeconds(maxDelay), Duration.ofSeconds(maxElapsed)),
                Duration.ofSeconds(timeout),
                level);
    }

    private static Optional<JsonLog.Level> level(String value) {
        try {
            return Optional.of(JsonLog.parseLevel(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
