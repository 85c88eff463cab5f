package dev.fusionextract.fusion;

import com.oracle.bmc.secrets.Secrets;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ExtractConfig;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.http.Http11;
import dev.fusionextract.idcs.IdcsTokenClient;
import dev.fusionextract.idcs.TokenCache;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.vault.IdcsCredentials;
import dev.fusionextract.vault.VaultCredentials;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.function.DoubleSupplier;

/** Puts a {@link FusionBatchClient} together from the configuration: Vault secret, IDCS tokens, HTTP client, retry. */
public final class FusionConnection {

    private FusionConnection() {
    }

    /** One HTTP client per process for Fusion and IDCS (see {@link Http11}). */
    public static HttpClient httpClient(ExtractConfig config) {
        return Http11.client(config.httpTimeout(), null);
    }

    public static FusionBatchClient open(ExtractConfig config, Secrets secrets, HttpClient http, JsonLog log, Clock clock,
                                         Sleeper sleeper, DoubleSupplier random) {
        ExtractConfig.FusionConfig fusion = config.fusion();
        Retrier retrier = new Retrier(config.retry(), clock, sleeper, random, log);
        IdcsCredentials credentials = new VaultCredentials(secrets, new OciCalls(retrier), log.redactor()).read(fusion.secretOcid());
        String scope = scope(config, credentials).orElseThrow(() -> new PermanentException(
                "No OAuth scope for the batch API: set " + ConfigKey.FUSION_SCOPE.name() + " (e.g. "
                        + ConfigKey.FUSION_SCOPE.example() + ") or a \"scope\" field in the Vault secret."));
        return client(config, http, tokens(config, http, retrier, clock, log.redactor()), credentials, scope, retrier, clock, log);
    }

    /** The OAuth scope tokens are asked for: FUSION_SCOPE, or else the secret's {@code scope} field. */
    public static java.util.Optional<String> scope(ExtractConfig config, IdcsCredentials credentials) {
        return config.fusion().scope().or(credentials::scope);
    }

    /** The IDCS token endpoint of the configuration. */
    public static IdcsTokenClient tokens(ExtractConfig config, HttpClient http, Retrier retrier, Clock clock, Redactor redactor) {
        return new IdcsTokenClient(config.fusion().idcsUrl(), http, config.httpTimeout(), retrier, clock, redactor);
    }

    /** The batch client for the configured pod, with tokens for {@code scope} cached until shortly before they expire. */
    public static FusionBatchClient client(ExtractConfig config, HttpClient http, IdcsTokenClient tokens, IdcsCredentials credentials,
                                           String scope, Retrier retrier, Clock clock, JsonLog log) {
        return new FusionBatchClient(config.fusion().baseUrl(), http, new TokenCache(tokens, credentials, clock).forScope(scope), retrier,
                config.httpTimeout(), config.fusion().scheduleDateFormat(), clock, log);
    }
}
