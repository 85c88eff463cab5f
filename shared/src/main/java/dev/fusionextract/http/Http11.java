package dev.fusionextract.http;

import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK HTTP client every outbound call of the project uses (Fusion, IDCS, and the OCI SDK through
 * {@code JdkHttpProvider}): HTTP/1.1, one request per connection at a time (a download streams on its own
 * connection), and no redirects followed (a redirect could carry a bearer token, or a signed request, elsewhere).
 */
public final class Http11 {

    private Http11() {
    }

    /** With the given connect timeout (null: the JDK's) and TLS context (null: the JDK's default). */
    public static HttpClient client(Duration connectTimeout, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }
}
