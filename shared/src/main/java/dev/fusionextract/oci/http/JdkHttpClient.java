package dev.fusionextract.oci.http;

import com.oracle.bmc.http.client.HttpClient;
import com.oracle.bmc.http.client.HttpRequest;
import com.oracle.bmc.http.client.Method;
import com.oracle.bmc.http.client.RequestInterceptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/** One SDK client's HTTP side: its base URI, read timeout and interceptors over a shared JDK client. */
final class JdkHttpClient implements HttpClient {

    final java.net.http.HttpClient http;
    final URI baseUri;
    final Duration readTimeout;
    final List<RequestInterceptor> interceptors;

    JdkHttpClient(java.net.http.HttpClient http, URI baseUri, Duration readTimeout, List<RequestInterceptor> interceptors) {
        this.http = http;
        this.baseUri = baseUri;
        this.readTimeout = readTimeout;
        this.interceptors = interceptors;
    }

    @Override
    public HttpRequest createRequest(Method method) {
        return new JdkHttpRequest(this, method);
    }

    /** The JDK client is shared with the process's other SDK clients and closes with the process. */
    @Override
    public void close() {
    }

    /** A failure of the transport rather than an answer: what the SDK's circuit breaker may count. */
    @Override
    public boolean isProcessingException(Exception e) {
        Throwable failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return failure instanceof IOException || failure instanceof UncheckedIOException;
    }
}
