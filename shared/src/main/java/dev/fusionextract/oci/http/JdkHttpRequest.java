package dev.fusionextract.oci.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.oracle.bmc.http.client.HttpRequest;
import com.oracle.bmc.http.client.HttpResponse;
import com.oracle.bmc.http.client.Method;
import com.oracle.bmc.http.client.RequestInterceptor;
import com.oracle.bmc.http.client.Serialization;
import com.oracle.bmc.http.client.io.DuplicatableInputStream;
import dev.fusionextract.http.IdleTimeoutBody;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** One SDK request, built up by the SDK's {@code ClientCall} and sent with the JDK client. */
final class JdkHttpRequest implements HttpRequest {

    /** Headers the JDK client refuses to take from a caller because it writes them itself (JDK 17). */
    private static final Set<String> JDK_HEADERS = caseInsensitive("connection", "content-length", "expect", "host", "upgrade");
    private static final long BYTES_PER_SECOND_OF_UPLOAD = 1024 * 1024;

    private final JdkHttpClient client;
    private final Method method;
    private final RequestUri uri;
    private final Map<String, List<String>> headers;
    private final Map<String, Object> attributes;
    private Object body;
    private long contentLength = -1;

    JdkHttpRequest(JdkHttpClient client, Method method) {
        this.client = client;
        this.method = method;
        this.uri = new RequestUri(client.baseUri);
        this.headers = new LinkedHashMap<>();
        this.attributes = new HashMap<>();
    }

    private JdkHttpRequest(JdkHttpRequest from) {
        this.client = from.client;
        this.method = from.method;
        this.uri = new RequestUri(from.uri);
        this.headers = new LinkedHashMap<>();
        from.headers.forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        this.attributes = new HashMap<>(from.attributes);
        this.body = from.body;
        this.contentLength = from.contentLength;
    }

    @Override
    public Method method() {
        return method;
    }

    /** A string or stream as it is, nothing as an empty body, anything else as JSON by the SDK's mapper. */
    @Override
    public HttpRequest body(Object body) {
        if (body == null) {
            this.body = "";
        } else if (body instanceof String || body instanceof InputStream) {
            this.body = body;
        } else {
            try {
                this.body = Serialization.getObjectMapper().writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Unable to process JSON body", e);
            }
        }
        this.contentLength = -1;
        return this;
    }

    @Override
    public HttpRequest body(InputStream body, long contentLength) {
        this.body = body;
        this.contentLength = contentLength;
        return this;
    }

    @Override
    public Object body() {
        return body;
    }

    @Override
    public HttpRequest appendPathPart(String encodedPathPart) {
        uri.appendPath(encodedPathPart);
        return this;
    }

    @Override
    public HttpRequest query(String name, String value) {
        uri.appendQuery(name, value);
        return this;
    }

    @Override
    public URI uri() {
        return uri.toUri();
    }

    @Override
    public HttpRequest header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public HttpRequest removeAttribute(String name) {
        attributes.remove(name);
        return this;
    }

    @Override
    public HttpRequest attribute(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    /** The answer is read on the thread that asks for it; nothing to hand off. */
    @Override
    public HttpRequest offloadExecutor(Executor executor) {
        return this;
    }

    @Override
    public HttpRequest copy() {
        return new JdkHttpRequest(this);
    }

    @Override
    public void discard() {
    }

    @Override
    public CompletionStage<HttpResponse> execute() {
        for (RequestInterceptor interceptor : client.interceptors) {
            interceptor.intercept(this);
        }
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri())
                .method(method.name(), publisher());
        headers.forEach((name, values) -> {
            if (!JDK_HEADERS.contains(name)) {
                // The JDK writes headers in ASCII (a character above 127 goes out as '?'): non-ASCII text is
                // percent-encoded as UTF-8 instead, so an object's opc-meta-source-file for 报表.csv reads
                // %E6%8A%A5%E8%A1%A8.csv and decodes back to the name (Apache cut each such character to its low byte).
                values.forEach(value -> request.header(name, RequestUri.encodeNonAscii(value)));
            }
        });
        if (client.readTimeout != null) {
            request.timeout(timeout(client.readTimeout, contentLength));
        }
        return client.http.sendAsync(request.build(), client.readTimeout == null
                        ? java.net.http.HttpResponse.BodyHandlers.ofInputStream()
                        : IdleTimeoutBody.handler(client.readTimeout))
                .thenApply(JdkHttpResponse::new);
    }

    /**
     * How long the answer's headers may take: the JDK counts from the first byte sent, so an upload gets one more
     * second per MiB of body (at least 1 MiB/s from a function to Object Storage in its region) on top of the
     * read timeout that Jersey's socket timeout gave.
     */
    static Duration timeout(Duration readTimeout, long contentLength) {
        return readTimeout.plusSeconds(Math.max(0, contentLength) / BYTES_PER_SECOND_OF_UPLOAD);
    }

    private java.net.http.HttpRequest.BodyPublisher publisher() {
        if (body == null || contentLength == 0) {
            return java.net.http.HttpRequest.BodyPublishers.noBody();
        }
        if (body instanceof String text) {
            return java.net.http.HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
        }
        InputStream stream = (InputStream) body;
        java.net.http.HttpRequest.BodyPublisher streamed = java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> stream instanceof DuplicatableInputStream copyable ? copyable.duplicate() : stream);
        return contentLength < 0 ? streamed : java.net.http.HttpRequest.BodyPublishers.fromPublisher(streamed, contentLength);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }
}
