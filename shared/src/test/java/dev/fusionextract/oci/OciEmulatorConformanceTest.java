package dev.fusionextract.oci;

import com.oracle.bmc.dataintegration.DataIntegration;
import com.oracle.bmc.dataintegration.model.CreateConfigProvider;
import com.oracle.bmc.dataintegration.model.CreateTaskRunDetails;
import com.oracle.bmc.dataintegration.model.ParameterValue;
import com.oracle.bmc.dataintegration.model.RegistryMetadata;
import com.oracle.bmc.dataintegration.model.TaskRun;
import com.oracle.bmc.dataintegration.requests.CreateTaskRunRequest;
import com.oracle.bmc.dataintegration.requests.GetTaskRunRequest;
import com.oracle.bmc.dataintegration.requests.ListTaskRunsRequest;
import com.oracle.bmc.http.signing.DefaultRequestSigner;
import com.oracle.bmc.http.signing.SigningStrategy;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.model.Range;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.CommitMultipartUploadDetails;
import com.oracle.bmc.objectstorage.model.CommitMultipartUploadPartDetails;
import com.oracle.bmc.objectstorage.model.CreateMultipartUploadDetails;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.AbortMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.CommitMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.CreateMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListMultipartUploadPartsRequest;
import com.oracle.bmc.objectstorage.requests.ListMultipartUploadsRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.requests.UploadPartRequest;
import com.oracle.bmc.objectstorage.responses.CommitMultipartUploadResponse;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.objectstorage.responses.HeadObjectResponse;
import com.oracle.bmc.objectstorage.responses.ListObjectsResponse;
import com.oracle.bmc.objectstorage.responses.PutObjectResponse;
import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.messages.TopicPublisher;
import dev.fusionextract.testing.OciFixture;
import dev.fusionextract.testing.OciTestAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each emulator endpoint driven by the real OCI SDK: the documented status codes and headers. */
class OciEmulatorConformanceTest {

    private final OciFixture fx = new OciFixture();
    private final ObjectStorage os = fx.clients.objectStorage();
    private final String ns = fx.clients.namespace();
    private static final String B = OciFixture.LANDING;

    @AfterEach
    void close() {
        fx.close();
    }

    private PutObjectResponse put(String name, byte[] bytes) {
        return os.putObject(PutObjectRequest.builder().namespaceName(ns).bucketName(B).objectName(name)
                .contentLength((long) bytes.length).putObjectBody(new ByteArrayInputStream(bytes)).build());
    }

    private static String md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static byte[] read(GetObjectResponse response) throws Exception {
        try (InputStream in = response.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void namespaceIsAJsonString() {
        assertEquals("fxnamespace", os.getNamespace(GetNamespaceRequest.builder().build()).getValue());
    }

    @Test
    void putHeadGetAndDeleteAnObjectWhoseNameHasSlashes() throws Exception {
        byte[] bytes = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = put("landing/2026-01-15/täble.csv", bytes);
        assertNotNull(put.getETag());
        assertEquals(md5(bytes), put.getOpcContentMd5());
        assertTrue(fx.oci.requests().stream().anyMatch(r -> r.rawPath().endsWith("/o/landing%2F2026-01-15%2Ft%C3%A4ble.csv")),
                "the SDK percent-encodes the slashes");

        HeadObjectResponse head = os.headObject(HeadObjectRequest.builder().namespaceName(ns).bucketName(B)
                .objectName("landing/2026-01-15/täble.csv").build());
        assertEquals(bytes.length, head.getContentLength());
        assertEquals(put.getETag(), head.getETag());
        assertEquals(md5(bytes), head.getContentMd5());

        assertArrayEquals(bytes, read(os.getObject(GetObjectRequest.builder().namespaceName(ns).bucketName(B)
                .objectName("landing/2026-01-15/täble.csv").build())));
        GetObjectResponse ranged = os.getObject(GetObjectRequest.builder().namespaceName(ns).bucketName(B)
                .objectName("landing/2026-01-15/täble.csv").range(new Range(2L, 4L)).build());
        assertArrayEquals("b\n1".getBytes(StandardCharsets.UTF_8), read(ranged));

        os.deleteObject(DeleteObjectRequest.builder().namespaceName(ns).bucketName(B).objectName("landing/2026-01-15/täble.csv").build());
        BmcException gone = assertThrows(BmcException.class, () -> os.headObject(HeadObjectRequest.builder().namespaceName(ns)
                .bucketName(B).objectName("landing/2026-01-15/täble.csv").build()));
        assertEquals(404, gone.getStatusCode());
    }

    @Test
    void aWrongContentMd5IsRefusedWith400() {
        BmcException e = assertThrows(BmcException.class, () -> os.putObject(PutObjectRequest.builder().namespaceName(ns)
                .bucketName(B).objectName("x").contentLength(3L).contentMD5(Base64.getEncoder().encodeToString(new byte[16]))
                .putObjectBody(new ByteArrayInputStream(new byte[3])).build()));
        assertEquals(400, e.getStatusCode());
        assertTrue(fx.oci.objectStorage().object(B, "x").isEmpty());
    }

    @Test
    void conditionalWritesAnswer412WhenTheConditionFails() {
        String etag = put("runs/r1.json", new byte[]{1}).getETag();
        BmcException exists = assertThrows(BmcException.class, () -> os.putObject(PutObjectRequest.builder().namespaceName(ns)
                .bucketName(B).objectName("runs/r1.json").ifNoneMatch("*").contentLength(1L)
                .putObjectBody(new ByteArrayInputStream(new byte[]{2})).build()));
        assertEquals(412, exists.getStatusCode());
        BmcException moved = assertThrows(BmcException.class, () -> os.putObject(PutObjectRequest.builder().namespaceName(ns)
                .bucketName(B).objectName("runs/r1.json").ifMatch("other-etag").contentLength(1L)
                .putObjectBody(new ByteArrayInputStream(new byte[]{3})).build()));
        assertEquals(412, moved.getStatusCode());
        os.putObject(PutObjectRequest.builder().namespaceName(ns).bucketName(B).objectName("runs/r1.json").ifMatch(etag)
                .contentLength(1L).putObjectBody(new ByteArrayInputStream(new byte[]{4})).build());
        assertArrayEquals(new byte[]{4}, fx.oci.objectStorage().object(B, "runs/r1.json").orElseThrow().content());
    }

    @Test
    void listingPagesWithStartLimitPrefixAndFields() {
        for (String name : List.of("a/1", "a/2", "a/3", "b/1")) {
            put(name, name.getBytes(StandardCharsets.UTF_8));
        }
        ListObjectsResponse first = os.listObjects(ListObjectsRequest.builder().namespaceName(ns).bucketName(B)
                .prefix("a/").limit(2).fields("name,size,md5").build());
        List<ObjectSummary> objects = first.getListObjects().getObjects();
        assertEquals(List.of("a/1", "a/2"), objects.stream().map(ObjectSummary::getName).toList());
        assertEquals(3L, objects.get(0).getSize());
        assertNotNull(objects.get(0).getMd5());
        assertEquals("a/3", first.getListObjects().getNextStartWith());
        ListObjectsResponse second = os.listObjects(ListObjectsRequest.builder().namespaceName(ns).bucketName(B)
                .prefix("a/").start("a/3").limit(2).build());
        assertEquals(List.of("a/3"), second.getListObjects().getObjects().stream().map(ObjectSummary::getName).toList());
        assertEquals(null, second.getListObjects().getNextStartWith());
        assertEquals(null, second.getListObjects().getObjects().get(0).getSize(), "only the name unless fields asks");
    }

    @Test
    void multipartUploadsAreInvisibleUntilCommittedAndReportTheMultipartMd5() throws Exception {
        String uploadId = os.createMultipartUpload(CreateMultipartUploadRequest.builder().namespaceName(ns).bucketName(B)
                .createMultipartUploadDetails(CreateMultipartUploadDetails.builder().object("big.csv").build()).build())
                .getMultipartUpload().getUploadId();
        byte[] p1 = "first part,".getBytes(StandardCharsets.UTF_8);
        byte[] p2 = "second part".getBytes(StandardCharsets.UTF_8);
        List<CommitMultipartUploadPartDetails> parts = new ArrayList<>();
        int number = 1;
        for (byte[] part : List.of(p1, p2)) {
            var response = os.uploadPart(UploadPartRequest.builder().namespaceName(ns).bucketName(B).objectName("big.csv")
                    .uploadId(uploadId).uploadPartNum(number).contentLength((long) part.length).contentMD5(md5(part))
                    .uploadPartBody(new ByteArrayInputStream(part)).build());
            assertEquals(md5(part), response.getOpcContentMd5());
            parts.add(CommitMultipartUploadPartDetails.builder().partNum(number++).etag(response.getETag()).build());
        }
        assertEquals(2, os.listMultipartUploadParts(ListMultipartUploadPartsRequest.builder().namespaceName(ns).bucketName(B)
                .objectName("big.csv").uploadId(uploadId).build()).getItems().size());
        assertEquals(List.of("big.csv"), os.listMultipartUploads(ListMultipartUploadsRequest.builder().namespaceName(ns)
                .bucketName(B).build()).getItems().stream().map(u -> u.getObject()).toList());
        assertTrue(os.listObjects(ListObjectsRequest.builder().namespaceName(ns).bucketName(B).build())
                .getListObjects().getObjects().isEmpty(), "an uncommitted upload is invisible");

        CommitMultipartUploadResponse committed = os.commitMultipartUpload(CommitMultipartUploadRequest.builder()
                .namespaceName(ns).bucketName(B).objectName("big.csv").uploadId(uploadId)
                .commitMultipartUploadDetails(CommitMultipartUploadDetails.builder().partsToCommit(parts).build()).build());
        MessageDigest md = MessageDigest.getInstance("MD5");
        md.update(MessageDigest.getInstance("MD5").digest(p1));
        md.update(MessageDigest.getInstance("MD5").digest(p2));
        assertEquals(Base64.getEncoder().encodeToString(md.digest()) + "-2", committed.getOpcMultipartMd5());
        assertArrayEquals("first part,second part".getBytes(StandardCharsets.UTF_8),
                read(os.getObject(GetObjectRequest.builder().namespaceName(ns).bucketName(B).objectName("big.csv").build())));
        assertTrue(fx.oci.objectStorage().openUploads(B).isEmpty());
    }

    @Test
    void anAbortedUploadLeavesNothing() {
        String uploadId = os.createMultipartUpload(CreateMultipartUploadRequest.builder().namespaceName(ns).bucketName(B)
                .createMultipartUploadDetails(CreateMultipartUploadDetails.builder().object("gone.csv").build()).build())
                .getMultipartUpload().getUploadId();
        os.abortMultipartUpload(AbortMultipartUploadRequest.builder().namespaceName(ns).bucketName(B).objectName("gone.csv")
                .uploadId(uploadId).build());
        assertTrue(fx.oci.objectStorage().openUploads(B).isEmpty());
        BmcException e = assertThrows(BmcException.class, () -> os.uploadPart(UploadPartRequest.builder().namespaceName(ns)
                .bucketName(B).objectName("gone.csv").uploadId(uploadId).uploadPartNum(1).contentLength(1L)
                .uploadPartBody(new ByteArrayInputStream(new byte[1])).build()));
        assertEquals(404, e.getStatusCode());
    }

    @Test
    void anUnknownBucketIs404() {
        BmcException e = assertThrows(BmcException.class, () -> os.headObject(HeadObjectRequest.builder().namespaceName(ns)
                .bucketName("nope").objectName("x").build()));
        assertEquals(404, e.getStatusCode());
    }

    @Test
    void publishedMessagesAreRecordedAndHandedToSubscribers() {
        String topic = "ocid1.onstopic.oc1.iad.poll";
        fx.oci.notifications().createTopic(topic);
        List<PublishedMessage> delivered = new CopyOnWriteArrayList<>();
        fx.oci.notifications().subscribe(topic, delivered::add);
        String id = new TopicPublisher(fx.clients.notifications(fx.oci.endpoint()), fx.calls, topic).publish("POLL", "{\"runId\":\"r1\"}");
        PublishedMessage message = fx.oci.notifications().messages(topic).get(0);
        assertEquals(id, message.messageId());
        assertEquals("RAW_TEXT", message.messageType());
        assertEquals(List.of(message), delivered);
    }

    @Test
    void taskRunsAreCreatedOncePerRetryTokenAndWalkTheirScript() {
        fx.oci.dataIntegration().defineTask("ws1", "app1", "task-key", List.of("NOT_STARTED", "QUEUED", "RUNNING", "SUCCESS"), null);
        DataIntegration di = dev.fusionextract.dataintegration.DataIntegrationJobs.client(fx.clients);
        CreateTaskRunRequest create = CreateTaskRunRequest.builder().workspaceId("ws1").applicationKey("app1").opcRetryToken("run-1")
                .createTaskRunDetails(CreateTaskRunDetails.builder()
                        .registryMetadata(RegistryMetadata.builder().aggregatorKey("task-key").build())
                        .configProvider(CreateConfigProvider.builder().bindings(Map.of("PREFIX",
                                ParameterValue.builder().simpleValue("landing/x/").build())).build())
                        .build()).build();
        TaskRun first = di.createTaskRun(create).getTaskRun();
        TaskRun again = di.createTaskRun(create).getTaskRun();
        assertEquals(first.getKey(), again.getKey());
        assertEquals(1, fx.oci.dataIntegration().runs().size());
        assertEquals(Map.of("PREFIX", "landing/x/"), fx.oci.dataIntegration().runs().get(0).bindings());

        List<TaskRun.Status> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(di.getTaskRun(GetTaskRunRequest.builder().workspaceId("ws1").applicationKey("app1").taskRunKey(first.getKey())
                    .build()).getTaskRun().getStatus());
        }
        assertEquals(List.of(TaskRun.Status.NotStarted, TaskRun.Status.Queued, TaskRun.Status.Running, TaskRun.Status.Success,
                TaskRun.Status.Success), seen);
        assertEquals(1, di.listTaskRuns(ListTaskRunsRequest.builder().workspaceId("ws1").applicationKey("app1").build())
                .getTaskRunSummaryCollection().getItems().size());
    }

    @Test
    void unsignedAndWronglySignedRequestsGet401WithAnOciErrorBody() throws Exception {
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fx.oci.endpoint() + "/n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertTrue(unsigned.body().contains("\"code\":\"NotAuthenticated\""), unsigned.body());
        assertTrue(unsigned.headers().firstValue("opc-request-id").isPresent());

        OciTestAuth stranger = OciTestAuth.apiKey(); // same keyId, a key the emulator does not trust
        try (OciClients other = new OciClients(fx.clients.settings(), stranger.provider(), java.time.Duration.ofSeconds(10))) {
            BmcException e = assertThrows(BmcException.class, () -> other.objectStorage().getNamespace(GetNamespaceRequest.builder().build()));
            assertEquals(401, e.getStatusCode());
            assertEquals("NotAuthenticated", e.getServiceCode());
        }
    }

    @Test
    void injectedFaultsPlayOnTheNthCall() {
        fx.oci.faults().on(OciOperation.PUT_OBJECT, 2, OciFault.status(409, "ConcurrentObjectUpdate"));
        put("one", new byte[1]);
        BmcException e = assertThrows(BmcException.class, () -> put("two", new byte[1]));
        assertEquals(409, e.getStatusCode());
        put("three", new byte[1]);
        assertEquals(List.of("one", "three"), fx.oci.objectStorage().objectNames(B));
    }

    /** A signed PUT sent by hand, to see what the SDK never sends: no Content-Length, and Expect: 100-continue. */
    private String rawPut(String object, boolean contentLength) throws Exception {
        URI uri = URI.create(fx.oci.endpoint() + "/n/" + ns + "/b/" + B + "/o/" + object);
        Map<String, List<String>> headers = new java.util.HashMap<>();
        headers.put("content-type", List.of("application/octet-stream"));
        Map<String, String> signed = DefaultRequestSigner.createRequestSigner(fx.identity.provider(), SigningStrategy.EXCLUDE_BODY)
                .signRequest(uri, "PUT", headers, null);
        try (Socket socket = new Socket("127.0.0.1", fx.oci.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("PUT " + uri.getRawPath() + " HTTP/1.1\r\n");
            signed.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            request.append("content-type: application/octet-stream\r\n");
            request.append(contentLength ? "content-length: 3\r\nexpect: 100-continue\r\n" : "transfer-encoding: chunked\r\n");
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            if (contentLength) {
                String interim = in.readLine();
                out.write("abc".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String last = "";
                while (last != null && !last.startsWith("HTTP/1.1 2") && !last.startsWith("HTTP/1.1 4")) {
                    last = in.readLine(); // the blank line ending the interim answer, then the final status line
                }
                return interim + " / " + last;
            }
            out.write("3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }
    }

    @Test
    void answersExpectContinueBeforeTheBodyIsSent() throws Exception {
        assertEquals("HTTP/1.1 100 Continue / HTTP/1.1 200 OK", rawPut("expect", true));
    }

    @Test
    void aPutWithoutContentLengthIs411() throws Exception {
        assertTrue(rawPut("chunked", false).startsWith("HTTP/1.1 411"));
        assertFalse(fx.oci.objectStorage().object(B, "chunked").isPresent());
    }

    @Test
    void inDiscardModeOnlySizesAndMd5sAreKept() throws Exception {
        fx.oci.objectStorage().discardContent(true);
        byte[] bytes = "some bytes".getBytes(StandardCharsets.UTF_8);
        put("kept-size.csv", bytes);
        var stored = fx.oci.objectStorage().object(B, "kept-size.csv").orElseThrow();
        assertEquals(bytes.length, stored.size());
        assertEquals(0, stored.content().length);
        assertEquals(md5(bytes), stored.contentMd5().orElseThrow());
    }
}
