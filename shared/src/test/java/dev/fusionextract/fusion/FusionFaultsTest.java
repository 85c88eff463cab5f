package dev.fusionextract.fusion;

import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.ExtractConfig;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.http.LoopbackServer;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.testing.FusionFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each injected fault ends in a retry that succeeds or a clear, typed error; never a hang. */
class FusionFaultsTest {

    private final FusionFixture fx = new FusionFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private JobRequestId finishedJob(FusionBatchClient client) {
        JobRequestId id = client.submit(ExtractJob.immediate("E", ExtractMode.FULL));
        while (!client.status(id).terminal()) {
            // one step per request
        }
        return id;
    }

    private static byte[] readAll(FusionBatchClient client, OutputFile file) throws Exception {
        try (InputStream in = client.download(file)) {
            return in.readAllBytes();
        }
    }

    @Test
    void throttlingWithRetryAfterSecondsIsWaitedOut() {
        fx.fusion.defineExtract(ExtractDefinition.named("E"));
        fx.fusion.faults(Endpoint.STATUS).add(Fault.tooManyRequests(Duration.ofSeconds(4)), 2);
        FusionBatchClient client = fx.client();
        JobRequestId id = client.submit(ExtractJob.immediate("E", ExtractMode.FULL));
        assertEquals("ENQUEUED", client.status(id).name());
        assertEquals(List.of(Duration.ofSeconds(4), Duration.ofSeconds(4)), fx.time.sleeps());
    }

    @Test
    void unavailabilityWithAnHttpDateIsWaitedOut() {
        fx.fusion.defineExtract(ExtractDefinition.named("E"));
        FusionBatchClient client = fx.client();
        JobRequestId id = finishedJob(client);
        fx.fusion.faults(Endpoint.LIST_FILES).add(Fault.unavailableUntil(Duration.ofSeconds(30)));
        assertEquals(3, client.outputFiles(id).size());
        assertEquals(List.of(Duration.ofSeconds(30)), fx.time.sleeps());
    }

    @Test
    void serverErrorsOnSubmitAreRetriedIntoExactlyOneJob() {
        fx.fusion.faults(Endpoint.SUBMIT).add(Fault.status(500)).add(Fault.status(502)).add(Fault.status(504));
        JobRequestId id = fx.client().submit(ExtractJob.immediate("E", ExtractMode.FULL));
        assertEquals("44046", id.value());
        assertTrue(fx.fusion.job(44047).isEmpty());
        assertEquals(3, fx.time.sleeps().size());
    }

    @Test
    void anEndlessOutageGivesUpWithATransientErrorAfterTheLastAttempt() {
        fx.fusion.faults(Endpoint.STATUS).add(Fault.status(503), 50);
        FusionBatchClient client = fx.client();
        TransientException e = assertThrows(TransientException.class, () -> client.status(new JobRequestId("1")));
        assertTrue(e.getMessage().contains("gave up after 6 attempts"), e.getMessage());
        assertEquals(44, fx.fusion.faults(Endpoint.STATUS).pending());
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheCallRetried() {
        fx.fusion.defineExtract(ExtractDefinition.named("E"));
        FusionBatchClient client = fx.client();
        JobRequestId id = client.submit(ExtractJob.immediate("E", ExtractMode.FULL));
        fx.fusion.idcs().expireAllTokens();
        assertEquals("ENQUEUED", client.status(id).name());
        fx.fusion.faults(Endpoint.STATUS).add(Fault.unauthorized());
        assertEquals("RUNNING", client.status(id).name());
        assertEquals(3, fx.fusion.idcs().tokensIssued());
        assertTrue(fx.time.sleeps().isEmpty(), "a refresh is not a backoff");
    }

    @Test
    void aTokenRefusedTwiceIsAPermanentErrorNamingTheRoles() {
        fx.fusion.faults(Endpoint.STATUS).add(Fault.unauthorized(), 2);
        PermanentException e = assertThrows(PermanentException.class, () -> fx.client().status(new JobRequestId("1")));
        assertTrue(e.getMessage().contains("HTTP 401 even with a fresh token") && e.getMessage().contains("roles"), e.getMessage());
        assertEquals(2, fx.fusion.idcs().tokensIssued());
    }

    @Test
    void aConnectionDroppedMidDownloadResumesWithARangeRequest() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.small().withUncompressedBytes(600_000)));
        FusionBatchClient client = fx.client();
        OutputFile file = client.outputFiles(finishedJob(client)).get(0);
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(20_000)).add(Fault.dropAfter(10_000));
        byte[] bytes = readAll(client, file);
        assertEquals(file.size(), bytes.length);
        assertEquals(file.sha256Hex().orElseThrow(), FusionBatchClientTest.sha256(bytes));
        List<String> ranges = fx.fusion.requests().stream().map(r -> r.header("range")).flatMap(Optional::stream).toList();
        assertEquals(2, ranges.size(), ranges.toString());
        assertTrue(ranges.get(0).startsWith("bytes=") && ranges.get(0).endsWith("-"), ranges.toString());
    }

    @Test
    void aDownloadThatKeepsBreakingGivesUp() {
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.small().withUncompressedBytes(600_000)));
        FusionBatchClient client = fx.client();
        OutputFile file = client.outputFiles(finishedJob(client)).get(0);
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(1_000), 20);
        TransientException e = assertThrows(TransientException.class, () -> readAll(client, file));
        assertTrue(e.getMessage().contains("broke off 7 times"), e.getMessage());
    }

    @Test
    void aSlowBodyStillArrivesWhole() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.small().withUncompressedBytes(200_000)));
        FusionBatchClient client = fx.client();
        OutputFile file = client.outputFiles(finishedJob(client)).get(0);
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.slow(Duration.ofMillis(5)));
        assertEquals(file.sha256Hex().orElseThrow(), FusionBatchClientTest.sha256(readAll(client, file)));
    }

    @Test
    void aStalledBodyTimesOutAndResumesInsteadOfHanging() throws Exception {
        Map<String, String> settings = fx.settings();
        settings.put("HTTP_TIMEOUT_SECONDS", "1");
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.small().withUncompressedBytes(600_000)));
        FusionBatchClient client = fx.client(ExtractConfig.load(ConfigSource.of(settings)));
        OutputFile file = client.outputFiles(finishedJob(client)).get(0);
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.stall(Duration.ofSeconds(30)));
        byte[] bytes = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> readAll(client, file));
        assertEquals(file.sha256Hex().orElseThrow(), FusionBatchClientTest.sha256(bytes));
    }

    @Test
    void aLinkToAnotherHostIsRefusedAndThatHostSeesNoToken() throws Exception {
        try (LoopbackServer other = LoopbackServer.start(0, exchange -> exchange.sendResponseHeaders(200, -1))) {
            fx.fusion.defineExtract(ExtractDefinition.named("E").enclosureBase(other.baseUri()));
            FusionBatchClient client = fx.client();
            JobRequestId id = finishedJob(client);
            assertThrows(RefusedLinkException.class, () -> client.outputFiles(id));

            OutputFile forged = new OutputFile("x.zip", "x.zip", 1, Optional.empty(), "", URI.create(other.baseUri() + "/x.zip"));
            assertThrows(RefusedLinkException.class, () -> client.download(forged));
            assertEquals(List.of(), other.requests());
        }
    }

    @Test
    void aSubmissionWhoseAnswerIsLostIsNotRetriedIntoASecondJob() {
        try (LoopbackServer dropper = LoopbackServer.start(0, exchange -> {
            exchange.getRequestBody().readAllBytes();
            throw new LoopbackServer.DropConnection("lost answer");
        })) {
            Map<String, String> settings = fx.settings();
            settings.put("FUSION_BASE_URL", dropper.baseUri().toString());
            FusionBatchClient client = fx.client(ExtractConfig.load(ConfigSource.of(settings)));
            PermanentException e = assertThrows(PermanentException.class, () -> client.submit(ExtractJob.immediate("E", ExtractMode.FULL)));
            assertTrue(e.getMessage().contains("may or may not have accepted it"), e.getMessage());
            assertEquals(1, dropper.requests().size());
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() {
        Map<String, String> settings = fx.settings();
        int closedPort;
        try (LoopbackServer gone = LoopbackServer.start(0, exchange -> { })) {
            closedPort = gone.port();
        }
        settings.put("FUSION_BASE_URL", "http://127.0.0.1:" + closedPort);
        FusionBatchClient client = fx.client(ExtractConfig.load(ConfigSource.of(settings)));
        TransientException e = assertThrows(TransientException.class, () -> client.submit(ExtractJob.immediate("E", ExtractMode.FULL)));
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
        assertEquals(5, fx.time.sleeps().size());
    }
}
