package dev.fusionextract.oci.http;

import com.oracle.bmc.http.client.ClientProperty;
import com.oracle.bmc.http.client.HttpClient;
import com.oracle.bmc.http.client.HttpClientBuilder;
import com.oracle.bmc.http.client.HttpProvider;
import com.oracle.bmc.http.client.RequestInterceptor;
import com.oracle.bmc.http.client.StandardClientProperties;
import dev.fusionextract.http.Http11;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OCI SDK's HTTP layer on the JDK's own client ({@code java.net.http}), in place of the SDK's Jersey 3 +
 * HK2 + Apache provider: the first SDK client then costs no Jersey/HK2 bootstrap (about 1,800 classes and a
 * third of a cold start), and the functions share one HTTP stack with the Fusion and IDCS calls.
 *
 * <p>It implements the SDK's {@code HttpProvider} contract (SDK 3.12.1, {@code oci-java-sdk-common-httpclient})
 * the way the Jersey 3 provider does: request interceptors (the request signer among them) run in priority
 * order just before the request is sent; JSON bodies are serialised with the SDK's own mapper
 * ({@code Serialization.getObjectMapper()}); streams are sent as they are read, never buffered; HTTP/1.1;
 * redirects are not followed. Where the JDK client differs, the difference is chosen here and tested
 * ({@code JdkHttpProviderTest}): the read timeout bounds the wait for the answer's headers (plus one second per
 * MiB of request body, so an upload is not cut off by its own length) and every silence inside a body;
 * headers the JDK sets itself (Host, Content-Length, Expect, Connection) come from the request, and an
 * endpoint's explicit default port is dropped so the signed {@code host} is the Host the JDK sends.
 *
 * <p>One JDK client serves every SDK client with the same connect timeout and TLS context (the SDK builds a
 * new HTTP client each time a client's endpoint or region is set).
 */
public final class JdkHttpProvider implements HttpProvider {

    public static final JdkHttpProvider INSTANCE = new JdkHttpProvider();

    private final Map<Connection, java.net.http.HttpClient> clients = new ConcurrentHashMap<>();

    private JdkHttpProvider() {
    }

    @Override
    public HttpClientBuilder newBuilder() {
        return new Builder();
    }

    private java.net.http.HttpClient client(Connection connection) {
        return clients.computeIfAbsent(connection, Connection::open);
    }

    /** What a JDK client is shared by: its connect timeout and TLS context (null: the JDK's default). */
    private record Connection(Duration connectTimeout, SSLContext tls) {
        java.net.http.HttpClient open() {
            return Http11.client(connectTimeout, tls);
        }
    }

    private final class Builder implements HttpClientBuilder {

        private URI baseUri;
        private Duration connectTimeout;
        private Duration readTimeout;
        private SSLContext tls;
        private final List<Map.Entry<Integer, RequestInterceptor>> interceptors = new ArrayList<>();

        @Override
        public HttpClientBuilder baseUri(URI uri) {
            this.baseUri = uri;
            return this;
        }

        @Override
        public HttpClientBuilder baseUri(String uri) {
            return baseUri(URI.create(uri));
        }

        @Override
        public <T> HttpClientBuilder property(ClientProperty<T> key, T value) {
            if (key == StandardClientProperties.CONNECT_TIMEOUT) {
                connectTimeout = positive((Duration) value);
            } else if (key == StandardClientProperties.READ_TIMEOUT) {
                readTimeout = positive((Duration) value);
            } else if (key == StandardClientProperties.SSL_CONTEXT) {
                tls = (SSLContext) value;
            } else if (key != StandardClientProperties.ASYNC_POOL_SIZE && key != StandardClientProperties.BUFFER_REQUEST) {
                // ASYNC_POOL_SIZE: the JDK client has its own executor. BUFFER_REQUEST: nothing is buffered here
                // (a JSON body is already a string, a stream is sent as read), which is what false asks for.
                throw new IllegalArgumentException("The JDK HTTP provider does not support the SDK client property " + key
                        + "; give the TLS settings as " + StandardClientProperties.SSL_CONTEXT);
            }
            return this;
        }

        @Override
        public HttpClientBuilder registerRequestInterceptor(int priority, RequestInterceptor interceptor) {
            interceptors.add(Map.entry(priority, interceptor));
            return this;
        }

        @Override
        public HttpClient build() {
            if (baseUri == null) {
                throw new IllegalStateException("no base URI for the SDK client");
            }
            List<RequestInterceptor> ordered = interceptors.stream()
                    .sorted(Comparator.comparingInt(Map.Entry::getKey))
                    .map(Map.Entry::getValue)
                    .toList();
            return new JdkHttpClient(client(new Connection(connectTimeout, tls)), RequestUri.withoutDefaultPort(baseUri),
                    readTimeout, ordered);
        }

        private static Duration positive(Duration value) {
            return value == null || value.isZero() || value.isNegative() ? null : value;
        }
    }
}
