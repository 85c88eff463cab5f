package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.fusionextract.emulator.http.Exchanges;
import dev.fusionextract.emulator.http.LoopbackServer;
import dev.fusionextract.emulator.http.RecordedRequest;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the OCI services the functions call, answering as the OCI Java SDK expects.
 * Today it serves Vault secret bundles; every service shares one port and tells requests apart by path.
 */
public final class OciEmulator implements AutoCloseable {

    private static final Pattern SIGNATURE = Pattern.compile("^Signature .*keyId=\"[^\"]+\".*signature=\"[^\"]+\".*$");

    private final SecretsService secrets = new SecretsService();
    private final LoopbackServer server;

    private OciEmulator(int port) {
        this.server = LoopbackServer.start(port, this::handle);
    }

    /** Starts on a free loopback port. */
    public static OciEmulator start() {
        return start(0);
    }

    public static OciEmulator start(int port) {
        return new OciEmulator(port);
    }

    /** The endpoint to give every SDK client: {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return server.baseUri();
    }

    public SecretsService secrets() {
        return secrets;
    }

    public List<RecordedRequest> requests() {
        return server.requests();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("opc-request-id", requestId);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !SIGNATURE.matcher(authorization).matches()) {
            error(exchange, 401, "NotAuthenticated", "The required information to complete authentication was not provided.");
            return;
        }
        if (!secrets.handle(exchange)) {
            error(exchange, 404, "NotAuthorizedOrNotFound",
                    "No such resource: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
        }
    }

    /** Sends an OCI error body: {@code {"code":..,"message":..}}. */
    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        Exchanges.sendJson(exchange, status, body);
    }
}
