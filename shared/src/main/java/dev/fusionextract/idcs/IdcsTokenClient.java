package dev.fusionextract.idcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.failure.HttpFailure;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryAfter;
import dev.fusionextract.vault.IdcsCredentials;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fetches OAuth access tokens from IDCS ({@code POST {idcs}/oauth2/v1/token}): the client-credentials grant, or
 * the password grant when the credentials name a user; client id and secret as HTTP Basic.
 */
public final class IdcsTokenClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Refresh this long before expiry, or at half the lifetime for short-lived tokens. */
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private final URI tokenEndpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final Retrier retrier;
    private final Clock clock;
    private final Redactor redactor;

    public IdcsTokenClient(URI idcsUrl, HttpClient http, Duration timeout, Retrier retrier, Clock clock, Redactor redactor) {
        this.tokenEndpoint = URI.create(idcsUrl + "/oauth2/v1/token");
        this.http = http;
        this.timeout = timeout;
        this.retrier = retrier;
        this.clock = clock;
        this.redactor = redactor;
    }

    public AccessToken request(IdcsCredentials credentials, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        if (credentials.grant() == IdcsCredentials.Grant.PASSWORD) {
            form.put("grant_type", "password");
            form.put("username", credentials.username().orElseThrow());
            form.put("password", credentials.password().orElseThrow());
        } else {
            form.put("grant_type", "client_credentials");
        }
        form.put("scope", scope);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String basic = Base64.getEncoder().encodeToString(
                (credentials.clientId() + ":" + credentials.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(timeout)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return retrier.call("IDCS token request for scope " + scope, () -> {
            HttpResponse<String> response = send(request);
            if (response.statusCode() == 200) {
                return parse(response.body(), scope);
            }
            throw refusal(response, scope, credentials.grant());
        });
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for IDCS");
        }
    }

    private AccessToken parse(String body, String scope) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new PermanentException("IDCS answered the token request for scope " + scope + " with something other than JSON: "
                    + "check IDCS_URL, which must be the identity domain's base URL (https://idcs-....identity.oraclecloud.com).");
        }
        String token = json.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new PermanentException("IDCS answered the token request for scope " + scope + " without an access_token.");
        }
        redactor.register(token);
        // Whatever IDCS says, a token is trusted for a minute to a day: 1e30, -5 or "soon" must not break the cache.
        JsonNode expires = json.path("expires_in");
        long lifetime = expires.isNumber() || expires.isTextual() ? Math.max(60, Math.min(MAX_LIFETIME_SECONDS,
                (long) Math.min(expires.asDouble(3600), MAX_LIFETIME_SECONDS))) : 3600;
        Duration margin = REFRESH_MARGIN.compareTo(Duration.ofSeconds(lifetime / 2)) < 0 ? REFRESH_MARGIN : Duration.ofSeconds(lifetime / 2);
        Instant refreshAt = clock.instant().plusSeconds(lifetime).minus(margin);
        return new AccessToken(token, refreshAt);
    }

    /** The longest a token is kept, whatever {@code expires_in} claims. */
    static final long MAX_LIFETIME_SECONDS = 24 * 3600;

    private RuntimeException refusal(HttpResponse<String> response, String scope, IdcsCredentials.Grant grant) {
        int status = response.statusCode();
        String error = "";
        try {
            error = JSON.readTree(response.body()).path("error").asText("");
        } catch (IOException e) {
            // no OAuth error body
        }
        switch (error) {
            case "invalid_client":
                return new PermanentException("IDCS refused the client credentials (invalid_client): check clientId and "
                        + "clientSecret in the Vault secret, and that the confidential application is activated.");
            case "invalid_grant":
                return new PermanentException("IDCS refused the " + (grant == IdcsCredentials.Grant.PASSWORD
                        ? "username or password" : "grant") + " (invalid_grant): check the credentials in the Vault secret.");
            case "invalid_scope":
                return new PermanentException("IDCS does not grant scope " + scope + " to this client (invalid_scope): add the "
                        + "Fusion application's scope to the confidential application, or fix FUSION_SCOPE / the secret's scope.");
            case "unauthorized_client":
            case "unsupported_grant_type":
                return new PermanentException("IDCS does not allow the " + grant + " grant for this client (" + error
                        + "): enable it in the confidential application's allowed grant types.");
            default:
                return HttpFailure.of(status, "IDCS token request for scope " + scope, error,
                        RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant()).orElse(null),
                        ". Check IDCS_URL, the clientId, clientSecret and scope in the Vault secret, and FUSION_SCOPE.");
        }
    }
}
