package dev.fusionextract.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.failure.HttpFailure;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.http.IdleTimeoutBody;
import dev.fusionextract.idcs.AccessToken;
import dev.fusionextract.idcs.TokenSource;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryAfter;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Sends Fusion requests: a bearer token on each, one token refresh after a 401 (per request), the retry
 * policy around it all, and failures turned into typed exceptions with the server's own explanation.
 */
final class FusionHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_LIMIT = 8 * 1024;

    private final HttpClient http;
    private final TokenSource tokens;
    private final Retrier retrier;
    private final Duration timeout;
    private final Clock clock;
    private final Redactor redactor;

    FusionHttp(HttpClient http, TokenSource tokens, Retrier retrier, Duration timeout, Clock clock, Redactor redactor) {
        this.http = http;
        this.tokens = tokens;
        this.retrier = retrier;
        this.timeout = timeout;
        this.clock = clock;
        this.redactor = redactor;
    }

    Retrier retrier() {
        return retrier;
    }

    /**
     * Sends the request and returns a 2xx response whose body the caller must read and close.
     *
     * @param idempotent false for a submission: once the request may have reached Fusion, a lost answer is
     *                   reported as an unknown outcome instead of being retried into a second job
     */
    HttpResponse<InputStream> send(String what, HttpRequest.Builder template, boolean idempotent) {
        boolean[] refreshed = {false};
        return retrier.call(what, () -> {
            while (true) {
                AccessToken token = tokens.current();
                HttpRequest request = template.copy()
                        .timeout(timeout)
                        .setHeader("Authorization", "Bearer " + token.value())
                        .build();
                HttpResponse<InputStream> response = exchange(what, request, idempotent);
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return response;
                }
                String detail = errorDetail(response);
                if (status == 401) {
                    if (!refreshed[0]) {
                        refreshed[0] = true;
                        tokens.invalidate(token);
                        continue;
                    }
                    throw new PermanentException(what + " was refused with HTTP 401 even with a fresh token"
                            + (detail.isEmpty() ? "" : " (" + detail + ")") + ": check that the IDCS application is "
                            + "granted the Fusion scope and that its user has the Data Extraction roles.");
                }
                throw HttpFailure.of(status, what, detail,
                        RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant()).orElse(null));
            }
        });
    }

    private HttpResponse<InputStream> exchange(String what, HttpRequest request, boolean idempotent) throws IOException {
        try {
            return http.send(request, IdleTimeoutBody.handler(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + what);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw e; // nothing reached the server: always safe to try again
        } catch (IOException e) {
            if (idempotent) {
                throw e;
            }
            throw new PermanentException(what + ": the connection failed after the request was sent ("
                    + e.getClass().getSimpleName() + "), so Fusion may or may not have accepted it. Look for a job "
                    + "with this description in Fusion's scheduler before submitting again.", e);
        }
    }

    /** The server's explanation from an error body (ESS, OAuth or OCI style), short and free of secrets. */
    private String errorDetail(HttpResponse<InputStream> response) {
        String text;
        try (InputStream body = response.body()) {
            text = new String(body.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
        String detail = text.strip();
        try {
            JsonNode json = JSON.readTree(text);
            if (json != null && json.isObject()) {
                for (String field : new String[]{"detail", "title", "message", "error_description", "error"}) {
                    if (json.hasNonNull(field) && !json.get(field).asText().isBlank()) {
                        detail = json.get(field).asText().strip();
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // not JSON: keep the text
        }
        detail = redactor.redact(detail.replaceAll("\\s+", " "));
        return detail.length() > 300 ? detail.substring(0, 300) + "..." : detail;
    }
}
