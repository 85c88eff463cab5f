package dev.fusionextract.oci.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.http.client.HttpResponse;
import com.oracle.bmc.http.client.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An answer to the SDK: headers at once, the body as a stream (an object's content) or read whole and mapped
 * by the SDK's own JSON mapper (a model, a list of models, a text). A body that ends before its Content-Length
 * fails the read (the JDK client checks), as the SDK's own provider does.
 */
final class JdkHttpResponse implements HttpResponse {

    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";]+)");

    private final java.net.http.HttpResponse<InputStream> response;
    private boolean consumed;

    JdkHttpResponse(java.net.http.HttpResponse<InputStream> response) {
        this.response = response;
    }

    @Override
    public int status() {
        return response.statusCode();
    }

    /** Case-insensitive, as the JDK keeps them. */
    @Override
    public Map<String, List<String>> headers() {
        return response.headers().map();
    }

    @Override
    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public CompletionStage<InputStream> streamBody() {
        consumed = true;
        return CompletableFuture.completedFuture(response.body());
    }

    /** An empty body maps to null, as Jersey's Jackson reader has it for an answer without content. */
    @Override
    public <T> CompletionStage<T> body(Class<T> type) {
        return read(bytes -> bytes.length == 0 ? null : Serialization.getObjectMapper().readValue(bytes, type));
    }

    @Override
    public <T> CompletionStage<List<T>> listBody(Class<T> type) {
        ObjectMapper mapper = Serialization.getObjectMapper();
        return read(bytes -> bytes.length == 0 ? null
                : mapper.readValue(bytes, mapper.getTypeFactory().constructCollectionType(List.class, type)));
    }

    @Override
    public CompletionStage<String> textBody() {
        return read(bytes -> new String(bytes, charset()));
    }

    /** Closes the body if nobody read it, so the connection is not left holding unread content. */
    @Override
    public void close() {
        if (!consumed) {
            consumed = true;
            try {
                response.body().close();
            } catch (IOException ignored) {
                // nothing was wanted from it
            }
        }
    }

    private <T> CompletionStage<T> read(BodyReader<T> reader) {
        consumed = true;
        try (InputStream body = response.body()) {
            return CompletableFuture.completedFuture(reader.read(body.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Charset charset() {
        Matcher matcher = CHARSET.matcher(response.headers().firstValue("Content-Type").orElse(""));
        if (matcher.find()) {
            try {
                return Charset.forName(matcher.group(1).trim());
            } catch (IllegalArgumentException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body) throws IOException;
    }
}
