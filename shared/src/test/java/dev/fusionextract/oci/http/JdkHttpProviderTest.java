package dev.fusionextract.oci.http;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.http.client.StandardClientProperties;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.util.CircuitBreakerUtils;
import dev.fusionextract.emulator.http.LoopbackServer;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.testing.OciFixture;
import dev.fusionextract.testing.OciTestAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK on the JDK's HTTP client: real SDK clients, signed requests, the OCI emulator or a raw server. */
class JdkHttpProviderTest {

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseServers() {
        release.countDown();
    }

    @Test
    void objectNamesTheSdkLeavesUnencodedAreEncodedAndTheSignatureHolds() throws Exception {
        try (OciFixture fx = new OciFixture()) {
            ObjectStorage storage = fx.clients.objectStorage();
            String namespace = fx.clients.namespace();
            String name = "runs/a b[1]|^{é}%41.csv";
            byte[] content = "id,amount\n1,2\n".getBytes(StandardCharsets.UTF_8);
            storage.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(OciFixture.LANDING)
                    .objectName(name).contentLength((long) content.length).putObjectBody(new ByteArrayInputStream(content)).build());

            List<String> names = storage.listObjects(ListObjectsRequest.builder().namespaceName(namespace)
                    .bucketName(OciFixture.LANDING).prefix("runs/a b[").build()).getListObjects().getObjects()
                    .stream().map(ObjectSummary::getName).toList();
            assertEquals(List.of(name), names);
            try (InputStream body = storage.getObject(GetObjectRequest.builder().namespaceName(namespace)
                    .bucketName(OciFixture.LANDING).objectName(name).build()).getInputStream()) {
                assertArrayEquals(content, body.readAllBytes());
            }
        }
    }

    @Test
    void metadataInAnyScriptIsSentPercentEncodedInsteadOfAsQuestionMarks() throws Exception {
        try (OciFixture fx = new OciFixture()) {
            String file = "报表_données.zip";
            fx.clients.objectStorage().putObject(PutObjectRequest.builder().namespaceName(fx.clients.namespace())
                    .bucketName(OciFixture.LANDING).objectName("o").contentLength(1L).opcMeta(java.util.Map.of("source-file", file))
                    .putObjectBody(new ByteArrayInputStream(new byte[1])).build());
            String received = fx.oci.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow()
                    .header("opc-meta-source-file").orElseThrow();
            assertEquals("%E6%8A%A5%E8%A1%A8_donn%C3%A9es.zip", received);
            assertEquals(file, java.net.URLDecoder.decode(received, StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEmptyUploadIsSentWithLengthZero() throws Exception {
        try (OciFixture fx = new OciFixture()) {
            ObjectStorage storage = fx.clients.objectStorage();
            String namespace = fx.clients.namespace();
            storage.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(OciFixture.LANDING)
                    .objectName("empty").contentLength(0L).putObjectBody(new ByteArrayInputStream(new byte[0])).build());
            try (InputStream body = storage.getObject(GetObjectRequest.builder().namespaceName(namespace)
                    .bucketName(OciFixture.LANDING).objectName("empty").build()).getInputStream()) {
                assertEquals(0, body.readAllBytes().length);
            }
        }
    }

    @Test
    void aBodyThatEndsBeforeItsLengthFailsTheRead() {
        try (LoopbackServer server = LoopbackServer.start(0, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            throw new LoopbackServer.DropConnection("cut short");
        })) {
            ObjectStorage storage = client(server.baseUri(), Duration.ofSeconds(10));
            assertThrows(IOException.class, () -> {
                try (InputStream body = get(storage)) {
                    body.readAllBytes();
                }
            });
        }
    }

    @Test
    void aBodyThatStallsFailsAfterTheReadTimeoutInsteadOfHanging() {
        try (LoopbackServer server = LoopbackServer.start(0, exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            awaitRelease();
        })) {
            ObjectStorage storage = client(server.baseUri(), Duration.ofSeconds(1));
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThrows(IOException.class, () -> {
                try (InputStream body = get(storage)) {
                    body.readAllBytes();
                }
            }));
            assertTrue(e.getMessage().contains("no data from the server"), e.getMessage());
        }
    }

    @Test
    void anUnansweredRequestFailsAfterTheReadTimeoutAsARetryableError() {
        try (LoopbackServer server = LoopbackServer.start(0, exchange -> awaitRelease())) {
            ObjectStorage storage = client(server.baseUri(), Duration.ofSeconds(1));
            BmcException e = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThrows(BmcException.class, () -> get(storage)));
            assertEquals(-1, e.getStatusCode());
            assertTrue(OciCalls.retryable(e), "a timeout is retried by OciCalls");
        }
    }

    @Test
    void anErrorAnswerKeepsTheServiceCodeAndMessage() {
        try (LoopbackServer server = LoopbackServer.start(0, exchange -> {
            byte[] body = "{\"code\":\"BucketNotFound\",\"message\":\"Either the bucket does not exist or you are not authorized\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("opc-request-id", "req-1");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
        })) {
            BmcException e = assertThrows(BmcException.class, () -> get(client(server.baseUri(), Duration.ofSeconds(10))));
            assertEquals(404, e.getStatusCode());
            assertEquals("BucketNotFound", e.getServiceCode());
            assertEquals("req-1", e.getOpcRequestId());
        }
    }

    @Test
    void anUnsupportedClientPropertyIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdkHttpProvider.INSTANCE.newBuilder()
                .property(StandardClientProperties.HOSTNAME_VERIFIER, (host, session) -> true));
        assertTrue(e.getMessage().contains(StandardClientProperties.HOSTNAME_VERIFIER.toString()), e.getMessage());
    }

    @Test
    void anUploadGetsOneMoreSecondPerMibToBeAnswered() {
        assertEquals(Duration.ofSeconds(60), JdkHttpRequest.timeout(Duration.ofSeconds(60), -1));
        assertEquals(Duration.ofSeconds(60), JdkHttpRequest.timeout(Duration.ofSeconds(60), 1000));
        assertEquals(Duration.ofSeconds(76), JdkHttpRequest.timeout(Duration.ofSeconds(60), 16L * 1024 * 1024));
    }

    @Test
    void anEndpointsDefaultPortIsDroppedSoTheSignedHostIsTheHostSent() {
        assertEquals(URI.create("https://objectstorage.us-ashburn-1.oraclecloud.com"),
                RequestUri.withoutDefaultPort(URI.create("https://objectstorage.us-ashburn-1.oraclecloud.com:443")));
        assertEquals(URI.create("http://127.0.0.1/n"), RequestUri.withoutDefaultPort(URI.create("http://127.0.0.1:80/n")));
        assertEquals(URI.create("http://127.0.0.1:8080"), RequestUri.withoutDefaultPort(URI.create("http://127.0.0.1:8080")));
    }

    @Test
    void pathPartsJoinWithOneSlashAndKeepTheirEscapes() {
        RequestUri uri = new RequestUri(URI.create("https://host/20160918/"));
        uri.appendPath("/n");
        uri.appendPath("ns");
        uri.appendPath("o");
        uri.appendPath("a%2Fb c");
        uri.appendQuery("prefix", "x y");
        uri.appendQuery("limit", "10");
        assertEquals("https://host/20160918/n/ns/o/a%2Fb%20c?prefix=x%20y&limit=10", uri.toUri().toString());
    }

    private static ObjectStorage client(URI endpoint, Duration timeout) {
        ClientConfiguration configuration = ClientConfiguration.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .readTimeoutMillis((int) timeout.toMillis())
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration())
                .build();
        return ObjectStorageClient.builder().httpProvider(JdkHttpProvider.INSTANCE).configuration(configuration)
                .endpoint(endpoint.toString()).build(OciTestAuth.apiKey().provider());
    }

    private static InputStream get(ObjectStorage storage) {
        return storage.getObject(GetObjectRequest.builder().namespaceName("ns").bucketName("b").objectName("o").build())
                .getInputStream();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
