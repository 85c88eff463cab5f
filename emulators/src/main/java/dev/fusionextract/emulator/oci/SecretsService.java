package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.emulator.http.Exchanges;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Vault secret bundles: {@code GET /20190301/secretbundles/{secretId}}. */
public final class SecretsService {

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

    Optional<OciEmulator.Route> route(OciRequest r) {
        if (!(r.is("GET", 3) && r.segment(0).equals("20190301") && r.segment(1).equals("secretbundles"))) {
            return Optional.empty();
        }
        return Optional.of(new OciEmulator.Route(OciOperation.GET_SECRET_BUNDLE, () -> {
            String secretId = r.segment(2);
            Secret secret = secrets.get(secretId);
            if (secret == null) {
                OciEmulator.error(r.exchange, 404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
                return;
            }
            ObjectNode body = Exchanges.JSON.createObjectNode();
            body.put("secretId", secretId);
            body.put("versionNumber", secret.version());
            ObjectNode content = body.putObject("secretBundleContent");
            content.put("contentType", "BASE64");
            content.put("content", Base64.getEncoder().encodeToString(secret.content()));
            body.putArray("stages").add("CURRENT").add("LATEST");
            body.put("timeCreated", "2025-12-18T07:00:00.000Z");
            r.exchange.getResponseHeaders().set("etag", secretId + "--" + secret.version());
            Exchanges.sendJson(r.exchange, 200, body);
        }));
    }
}
