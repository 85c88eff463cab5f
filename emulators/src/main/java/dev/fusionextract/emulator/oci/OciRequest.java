package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.fusionextract.emulator.http.Exchanges;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One request to the OCI emulator: path segments split on the raw path and then decoded, query, body. */
final class OciRequest {

    final HttpExchange exchange;
    final String method;
    final List<String> segments;
    final Map<String, String> query;
    private byte[] body;

    OciRequest(HttpExchange exchange) {
        this(exchange, null);
    }

    /** A request whose body was read already (by an earlier view of the same exchange). */
    OciRequest(HttpExchange exchange, byte[] body) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.segments = segments(exchange.getRequestURI().getRawPath());
        this.query = Exchanges.parseForm(exchange.getRequestURI().getRawQuery());
        this.body = body;
    }

    /** {@code /n/ns/b/bkt/o/a%2Fb.csv} → [n, ns, b, bkt, o, a/b.csv]: split first, decode each segment after. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(percentDecode(raw));
            }
        }
        return segments;
    }

    /** RFC 3986 percent-decoding; unlike form decoding, '+' stays '+'. */
    static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    boolean is(String method, int segmentCount) {
        return this.method.equals(method) && segments.size() == segmentCount;
    }

    String segment(int index) {
        return segments.get(index);
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    synchronized byte[] body() throws IOException {
        if (body == null) {
            body = exchange.getRequestBody().readAllBytes();
        }
        return body;
    }

    JsonNode json() throws IOException {
        byte[] bytes = body();
        return bytes.length == 0 ? Exchanges.JSON.createObjectNode() : Exchanges.JSON.readTree(bytes);
    }
}
