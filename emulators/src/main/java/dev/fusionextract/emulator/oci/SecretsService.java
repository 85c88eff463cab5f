package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.fusionextract.emulator.http.Exchanges;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Vault secret bundles: {@code GET /20190301/secretbundles/{secretId}}. */
public final class SecretsService {

    private static final Pattern BUNDLE = Pattern.compile("/20190301/secretbundles/([^/]+)");

    private record Secret(byte[] content, long version) {
    }

    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

    /** Stores (or replaces, with a new version number) the secret's current content. */
    public void put(String secretId, byte[] content) {
        secrets.merge(secretId, new Secret(content.clone(), 1), (old, fresh) -> new Secret(fresh.content(), old.version() + 1));
    }

    public void remove(String secretId) {
        secrets.remove(secretId);
    }

    boolean handle(HttpExchange exchange) throws IOException {
        Matcher m = BUNDLE.matcher(exchange.getRequestURI().getRawPath());
        if (!m.matches() || !exchange.getRequestMethod().equals("GET")) {
            return false;
        }
        String secretId = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        Secret secret = secrets.get(secretId);
        if (secret == null) {
            OciEmulator.error(exchange, 404, "NotAuthorizedOrNotFound",
                    "Authorization failed or requested resource not found.");
            return true;
        }
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("secretId", secretId);
        body.put("versionNumber", secret.version());
        ObjectNode content = body.putObject("secretBundleContent");
        content.put("contentType", "BASE64");
        content.put("content", Base64.getEncoder().encodeToString(secret.content()));
        body.putArray("stages").add("CURRENT").add("LATEST");
        body.put("timeCreated", "2025-12-18T07:00:00.000Z");
        exchange.getResponseHeaders().set("etag", secretId + "--" + secret.version());
        Exchanges.sendJson(exchange, 200, body);
        return true;
    }
}
