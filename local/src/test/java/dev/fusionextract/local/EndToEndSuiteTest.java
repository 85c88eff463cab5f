package dev.fusionextract.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.oracle.bmc.objectstorage.model.CreateMultipartUploadDetails;
import com.oracle.bmc.objectstorage.requests.CreateMultipartUploadRequest;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.JobStep;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.ZipVariant;
import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import dev.fusionextract.testing.ExpectedOutput;
import dev.fusionextract.transfer.function.TransferFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static dev.fusionextract.testing.ChainFixture.LANDING;
import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain, from a request object dropped in the control bucket to the landing bucket, under each fault
 * the deployed chain must survive. Every scenario compares the landing bucket with the job's output exactly
 * (names, sizes, MD5s), checks the ledger's final state and reason, and searches all log output for every secret.
 */
class EndToEndSuiteTest {

    private static final String EVENTS = "events";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String FULL = "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"landingPrefix\":\"erp\"}";
    private static final OutputSpec MULTI = OutputSpec.small().withChunks(3).withTables(List.of("suppliers", "sites", "contacts"));

    final ChainFixture fx = new ChainFixture();

    /** TRANSFER_WORKERS of every run ({@link EndToEndSuiteWithWorkersTest} runs the suite with four). */
    int workers() {
        return 1;
    }
    private Deliveries chain;
    private Function<InputEvent, OutputEvent> transferHandler;

    @AfterEach
    void noSecretInAnyLogOrMessage() {
        try {
            String everything = fx.log.text() + String.join("", fx.oci.notifications().messages().stream().map(m -> m.body()).toList())
                    + (chain == null ? "" : chain.delivered().toString());
            for (String secret : fx.secretValues()) {
                assertFalse(everything.contains(secret), "a secret reached a log, a message or a reply");
            }
        } finally {
            fx.close();
        }
    }

    // ---- happy paths ----

    @Test
    void happyPathFullMultiChunkMultiTable() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(6)).output(MULTI));
        RunRecord run = runToTheEnd(FULL);
        assertLandedExactly(run, MULTI, "erp");
        assertEquals("Full Data Extract", fx.fusion.submissions().get(0).path("requestParameters").path("submit.argument2").asText());
    }

    @Test
    void happyPathIncremental() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(2)).output(MULTI));
        RunRecord run = runToTheEnd("{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"landingPrefix\":\"erp\"}");
        assertLandedExactly(run, MULTI, "erp");
        assertEquals("Incremental Data Extract", fx.fusion.submissions().get(0).path("requestParameters").path("submit.argument2").asText());
    }

    @Test
    void happyPathNonAsciiTableNames() throws Exception {
        OutputSpec spec = OutputSpec.small().withChunks(2).withTables(List.of("fournisseurs_réglés", "請求書", "zahlungsläufe"));
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(1)).output(spec));
        assertLandedExactly(runToTheEnd(FULL), spec, "erp");
    }

    // ---- delivery semantics ----

    @Test
    void everyEventAndMessageDeliveredTwice() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(6)).output(MULTI));
        chain().duplicateEverything();
        RunRecord run = runToTheEnd(FULL, 2);
        assertLandedExactly(run, MULTI, "erp");
        assertEquals(1, fx.fusion.submissions().size(), "one Fusion job for two request events");
        assertEquals(Math.min(workers(), 3), fx.oci.notifications().messages(TRANSFER_TOPIC).size(),
                "one hand-over to transfer, and a message for each helper worker (three files)");
    }

    @Test
    void everyEventAndMessageDeliveredTwiceAndOutOfOrder() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(6)).output(MULTI));
        chain().duplicateEverything().reorderEverything();
        RunRecord run = runToTheEnd(FULL, 2);
        assertLandedExactly(run, MULTI, "erp");
        assertEquals(1, fx.fusion.submissions().size());
    }

    // ---- faults on the way ----

    @Test
    void tooManyRequestsAndServiceUnavailableStormsOnEveryService() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(3)).output(MULTI));
        // The job requests list is read by fusion-extract doctor, not by a one-off run.
        java.util.Set<Endpoint> chainEndpoints = java.util.EnumSet.complementOf(java.util.EnumSet.of(Endpoint.LIST_JOBS));
        for (Endpoint endpoint : chainEndpoints) {
            fx.fusion.faults(endpoint).add(Fault.tooManyRequests(Duration.ofSeconds(2)), 2).add(Fault.unavailableUntil(Duration.ofSeconds(3)), 2);
        }
        for (OciOperation operation : List.of(OciOperation.GET_SECRET_BUNDLE, OciOperation.PUT_OBJECT, OciOperation.PUBLISH_MESSAGE,
                OciOperation.GET_OBJECT)) {
            fx.oci.faults().on(operation, 1, OciFault.status(429, "TooManyRequests")).on(operation, 2, OciFault.unavailable());
        }
        RunRecord run = runToTheEnd(FULL);
        assertLandedExactly(run, MULTI, "erp");
        assertEquals(1, fx.fusion.submissions().size(), "a throttled submission is not sent twice");
        for (Endpoint endpoint : chainEndpoints) {
            assertEquals(0, fx.fusion.faults(endpoint).pending(), "every storm was played on " + endpoint);
        }
        for (OciOperation operation : List.of(OciOperation.GET_SECRET_BUNDLE, OciOperation.PUT_OBJECT, OciOperation.PUBLISH_MESSAGE,
                OciOperation.GET_OBJECT)) {
            assertTrue(fx.oci.faults().calls(operation) > 2, "both faults were played on " + operation);
        }
    }

    @Test
    void tokenExpiryMidRun() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(3)).output(MULTI));
        chain().deliver(EVENTS, fx.dropRequest("requests/suppliers.json", FULL));
        int tokensBefore = fx.fusion.idcs().issuedTokens().size();
        fx.fusion.idcs().expireAllTokens();
        chain().drain(500);
        RunRecord run = fx.onlyRun();
        assertLandedExactly(run, MULTI, "erp");
        assertTrue(fx.fusion.idcs().issuedTokens().size() > tokensBefore, "a new token was fetched after the old one was refused");
    }

    @Test
    void connectionResetMidDownload() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(1)).output(MULTI));
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(2_000)).add(Fault.dropAfter(9_000));
        assertLandedExactly(runToTheEnd(FULL), MULTI, "erp");
        assertEquals(0, fx.fusion.faults(Endpoint.DOWNLOAD).pending(), "both downloads were cut");
    }

    @Test
    void objectStoragePartFailure() throws Exception {
        OutputSpec large = multipartSized();
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(1)).output(large));
        fx.oci.faults().on(OciOperation.UPLOAD_PART, 2, OciFault.unavailable()).on(OciOperation.UPLOAD_PART, 5, OciFault.reset());
        assertLandedExactly(runToTheEnd(FULL), large, "erp");
        assertTrue(fx.oci.faults().calls(OciOperation.UPLOAD_PART) > 5, "the data files went up in parts");
    }

    @Test
    void objectStorageCommitFailure() throws Exception {
        OutputSpec large = multipartSized();
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(1)).output(large));
        fx.oci.faults().on(OciOperation.COMMIT_MULTIPART_UPLOAD, 1, OciFault.unavailable())
                .on(OciOperation.COMMIT_MULTIPART_UPLOAD, 3, OciFault.status(500, "InternalServerError"));
        assertLandedExactly(runToTheEnd(FULL), large, "erp");
        assertTrue(fx.oci.faults().calls(OciOperation.COMMIT_MULTIPART_UPLOAD) > 3, "both failed commits were made again");
    }

    @Test
    void invocationKilledMidTransferAndRedelivered() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(1)).output(MULTI));
        Components leftovers = fx.components(ConfigKey.Reader.TRANSFER);
        AtomicBoolean killed = new AtomicBoolean();
        transferHandler = input -> {
            if (killed.getAndSet(true)) {
                return TransferFunction.with(fx.components(ConfigKey.Reader.TRANSFER)).handleRequest(input);
            }
            // What an invocation killed early (out of memory, say) leaves: its claim, leased until its deadline,
            // half an object, an open upload. Notifications delivers again at once, then after 1, 2, 4 minutes.
            RunRecord run = fx.onlyRun();
            String folder = "erp/Suppliers/2026-01-15/" + run.jobRequestId() + "/";
            leftovers.ledger().update(run.runId(), r -> r.claim(Stage.TRANSFER, 1, fx.now().plus(ChainFixture.FUNCTION_TIMEOUT), fx.now()));
            fx.oci.objectStorage().put(LANDING, folder + "suppliers_1.csv", "ID,NAME\n1,hal".getBytes(StandardCharsets.UTF_8));
            leftovers.oci().objectStorage().createMultipartUpload(CreateMultipartUploadRequest.builder()
                    .namespaceName(leftovers.oci().namespace()).bucketName(LANDING)
                    .createMultipartUploadDetails(CreateMultipartUploadDetails.builder().object(folder + "sites_2.csv").build()).build());
            return OutputEvent.fromBytes("killed".getBytes(StandardCharsets.UTF_8), OutputEvent.Status.FunctionError, "text/plain");
        };
        RunRecord run = runToTheEnd(FULL);
        assertTrue(killed.get());
        assertTrue(chain.to(TRANSFER_TOPIC).stream().anyMatch(d -> d.status() == 502 && d.reply().contains("held by another invocation")),
                "a redelivery inside the dead invocation's lease asked to be delivered again");
        assertLandedExactly(run, MULTI, "erp");
        assertTrue(fx.oci.objectStorage().openUploads(LANDING).isEmpty(), "the killed invocation's upload was cleaned up");
    }

    // ---- runs that end badly ----

    @Test
    void jobEndsInError() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers")
                .script(List.of(JobStep.of("RUNNING"), new JobStep("ERROR", "ORA-01652: unable to extend temp segment"))));
        RunRecord run = runToTheEnd(FULL);
        assertEquals(RunState.FAILED, run.state());
        assertTrue(run.reason().startsWith("Fusion job " + run.jobRequestId() + " ended ERROR: ORA-01652: unable to extend temp segment. "
                + "Look at the job's log"), run.reason());
        assertNothingLanded();
    }

    @Test
    void jobNeverEndsAndTimesOut() throws Exception {
        fx.settings().put("MAX_RUN_MINUTES", "30");
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script("RUNNING"));
        RunRecord run = runToTheEnd(FULL);
        assertEquals(RunState.TIMED_OUT, run.state());
        assertTrue(run.reason().contains("still RUNNING after 30 minutes (MAX_RUN_MINUTES=30)"), run.reason());
        assertNothingLanded();
    }

    @Test
    void malformedRequestObjectIsRejected() throws Exception {
        RunRecord run = runToTheEnd("{\"extract\":\"Suppliers\",\"mode\":\"SOMETIMES\"}");
        assertEquals(RunState.REJECTED, run.state());
        assertTrue(run.reason().contains("extractName is required") && run.reason().contains("mode must be FULL or INCREMENTAL"), run.reason());
        assertTrue(fx.fusion.submissions().isEmpty());
        assertNothingLanded();
    }

    @Test
    void zipSlipOutputFailsAndLeavesNothing() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withVariant(ZipVariant.ZIP_SLIP)));
        RunRecord run = runToTheEnd(FULL);
        assertEquals(RunState.FAILED, run.state());
        assertTrue(run.reason().contains("climbs out of its folder"), run.reason());
        assertNothingLanded();
    }

    @Test
    void zipBombOutputFailsAndLeavesNothing() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withVariant(ZipVariant.ZIP_BOMB)
                .withUncompressedBytes(300L * 1024 * 1024)));
        RunRecord run = runToTheEnd(FULL);
        assertEquals(RunState.FAILED, run.state());
        assertTrue(run.reason().contains("ZIP_MAX_RATIO"), run.reason());
        assertNothingLanded();
    }

    // ---- the chain and what it must leave ----

    /** The three functions subscribed as OCI subscribes them: Events to submit, the topics to poll and transfer. */
    private Deliveries chain() {
        if (chain == null) {
            Function<InputEvent, OutputEvent> transfer = input -> (transferHandler != null ? transferHandler
                    : (Function<InputEvent, OutputEvent>) TransferFunction.with(fx.components(ConfigKey.Reader.TRANSFER))::handleRequest).apply(input);
            chain = new Deliveries(fx)
                    .route(EVENTS, SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT))::handleRequest)
                    .route(POLL_TOPIC, PollFunction.with(fx.components(ConfigKey.Reader.POLL))::handleRequest)
                    .route(TRANSFER_TOPIC, transfer);
        }
        return chain;
    }

    private RunRecord runToTheEnd(String requestJson) throws IOException {
        return runToTheEnd(requestJson, 1);
    }

    /** Drops the request object, delivers its createobject event {@code times} times, and lets the chain settle. */
    private RunRecord runToTheEnd(String requestJson, int times) throws IOException {
        String event = fx.dropRequest("requests/suppliers.json", requestJson);
        for (int i = 0; i < times; i++) {
            chain().deliver(EVENTS, event);
        }
        chain().drain(500);
        return fx.onlyRun();
    }

    /** Each entry over 1 MiB with 1 MiB parts, so that every data file is a multipart upload. */
    private OutputSpec multipartSized() {
        fx.settings().put("UPLOAD_PART_SIZE_MIB", "1");
        fx.settings().put("ZIP_MAX_UNZIPPED_GIB", "9"); // what 10,000 parts of 1 MiB can hold
        return OutputSpec.small().withChunks(2).withTables(List.of("suppliers", "sites")).withUncompressedBytes(6L * 1024 * 1024);
    }

    /**
     * The run LANDED, and the landing bucket holds exactly the job's output under the run's folder: every ZIP
     * entry and every other file, byte for byte (size and MD5), plus the manifest, and no open upload.
     */
    private void assertLandedExactly(RunRecord run, OutputSpec spec, String prefix) throws IOException {
        assertEquals(RunState.LANDED, run.state(), run.reason());
        String folder = prefix + "/Suppliers/2026-01-15/" + run.jobRequestId() + "/";
        Map<String, String> expected = new TreeMap<>();
        ExpectedOutput.of(spec, "Suppliers", Long.parseLong(run.jobRequestId())).forEach((path, bytes) -> expected.put(folder + path,
                sizeAndMd5(bytes)));
        expected.put(folder + "_manifest.json", "manifest");
        Map<String, String> landed = new TreeMap<>();
        for (String name : fx.oci.objectStorage().objectNames(LANDING)) {
            byte[] content = fx.oci.objectStorage().object(LANDING, name).orElseThrow().content();
            landed.put(name, name.endsWith("_manifest.json") ? "manifest" : sizeAndMd5(content));
        }
        assertEquals(expected, landed);
        assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING), "no open multipart upload");
        assertEquals(expected.size() - 1, JSON.readTree(fx.oci.objectStorage().object(LANDING, folder + "_manifest.json").orElseThrow()
                .content()).path("objects").size(), "the manifest lists every landed object");
    }

    private void assertNothingLanded() {
        assertEquals(List.of(), fx.oci.objectStorage().objectNames(LANDING), "nothing under the landing prefix");
        assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING), "no open multipart upload");
    }

    private static String sizeAndMd5(byte[] bytes) {
        try {
            return bytes.length + " " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
