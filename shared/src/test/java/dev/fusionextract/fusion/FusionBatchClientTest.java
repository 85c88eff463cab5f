package dev.fusionextract.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.ExtractConfig;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.JobStep;
import dev.fusionextract.emulator.fusion.OutputContent;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.StatusShape;
import dev.fusionextract.failure.HttpFailure;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.testing.FusionFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch client against the Fusion simulator over loopback HTTP. */
class FusionBatchClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FusionFixture fx = new FusionFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private JobRequestId runToEnd(FusionBatchClient client, String extract) {
        JobRequestId id = client.submit(ExtractJob.immediate(extract, ExtractMode.FULL));
        while (!client.status(id).terminal()) {
            // the simulator moves one step per status request
        }
        return id;
    }

    @Test
    void submitsAFullExtractWithExactlyTheDocumentedJson() throws Exception {
        JobRequestId id = fx.client().submit(ExtractJob.immediate("MyExtract", ExtractMode.FULL));
        assertEquals("44046", id.value());
        assertEquals(json("""
                {"serviceName":"boss","jobDefinitionName":"DataExport",
                 "description":"fusion-extract::MyExtract::Full::Immediate",
                 "requestParameters":{"submit.argument1":"MyExtract","submit.argument2":"Full Data Extract"}}"""),
                fx.fusion.submissions().get(0));
    }

    @Test
    void submitsAnIncrementalExtract() throws Exception {
        fx.client().submit(ExtractJob.immediate("MyExtract", ExtractMode.INCREMENTAL));
        assertEquals(json("""
                {"serviceName":"boss","jobDefinitionName":"DataExport",
                 "description":"fusion-extract::MyExtract::Incremental::Immediate",
                 "requestParameters":{"submit.argument1":"MyExtract","submit.argument2":"Incremental Data Extract"}}"""),
                fx.fusion.submissions().get(0));
    }

    @Test
    void submitsARecurringExtractWithRunAtTimesInTheConfiguredDateFormat() throws Exception {
        Recurrence hourly = Recurrence.of(1, Recurrence.Unit.HOUR, LocalDate.of(2026, 1, 5), LocalDate.of(2026, 3, 31), "0600", "2200");
        fx.client().submit(ExtractJob.recurring("MyExtract", ExtractMode.INCREMENTAL, hourly));
        assertEquals(json("""
                {"serviceName":"boss","jobDefinitionName":"DataExport",
                 "description":"fusion-extract::MyExtract::Incremental::Recurring",
                 "requestParameters":{"submit.argument1":"MyExtract","submit.argument2":"Incremental Data Extract"},
                 "runAtTimes":{"fixedInterval":{"interval":1,"timeUnit":"HOUR"},
                               "startDate":"01/05/2026","endDate":"03/31/2026","startTime":"0600","endTime":"2200"}}"""),
                fx.fusion.submissions().get(0));

        Map<String, String> iso = fx.settings();
        iso.put("FUSION_SCHEDULE_DATE_FORMAT", "yyyy-MM-dd");
        fx.client(ExtractConfig.load(ConfigSource.of(iso))).submit(ExtractJob.recurring("MyExtract", ExtractMode.FULL,
                Recurrence.of(15, Recurrence.Unit.MINUTE, LocalDate.of(2026, 1, 5), LocalDate.of(2026, 1, 6), null, null)));
        JsonNode runAt = fx.fusion.submissions().get(1).path("runAtTimes");
        assertEquals("2026-01-05", runAt.path("startDate").asText());
        assertEquals("0000", runAt.path("startTime").asText());
        assertEquals("2359", runAt.path("endTime").asText());
        assertEquals("MINUTE", runAt.path("fixedInterval").path("timeUnit").asText());
    }

    @ParameterizedTest
    @EnumSource(StatusShape.class)
    void readsTheStatusInEveryShape(StatusShape shape) {
        fx.fusion.defineExtract(ExtractDefinition.named("E").shape(shape)
                .script(List.of(JobStep.of("ENQUEUED"), JobStep.of("RUNNING"), new JobStep("ERROR", "ORA-01555: snapshot too old"))));
        FusionBatchClient client = fx.client();
        JobRequestId id = client.submit(ExtractJob.immediate("E", ExtractMode.FULL));
        assertEquals("ENQUEUED", client.status(id).name());
        JobStatus running = client.status(id);
        assertEquals(JobState.RUNNING, running.state());
        JobStatus failed = client.status(id);
        assertEquals("ERROR", failed.name());
        assertEquals(JobState.FAILED, failed.state());
        if (shape != StatusShape.TOP_LEVEL_STATUS) {
            assertEquals("ORA-01555: snapshot too old", failed.message().orElseThrow());
            assertEquals(100, failed.completedPercentage().orElseThrow());
            assertEquals(true, failed.completed().orElseThrow());
        }
    }

    @Test
    void readsTheDocumentedStatusExampleVerbatim() throws Exception {
        FusionBatchClient client = fx.client();
        JobStatus status = client.parseStatus(new JobRequestId("44046"), json("""
                {"jobDetails":{"jobRequestId":44046,
                  "jobRequest":{"serviceName":"boss","jobDefinitionName":"DataExport","description":"...",
                                "requestParameters":{"submit.argument1":"...","submit.argument2":"Full Data Extract"},
                                "jobRetryNumber":0,"timeoutThreshold":36000,"type":"BATCH"},
                  "jobStatus":"ENQUEUED",
                  "jobProgress":{"jobRequestId":44046,"status":"ENQUEUED","message":"Job Request has been enqueued",
                                 "startTime":"2025-12-18T07:38:58Z","endTime":"2025-12-18T07:38:59Z",
                                 "completedPercentage":"0","completed":false}}}"""));
        assertEquals("ENQUEUED", status.name());
        assertEquals(JobState.RUNNING, status.state());
        assertEquals(0, status.completedPercentage().orElseThrow());
        assertEquals(false, status.completed().orElseThrow());
        assertEquals("Job Request has been enqueued", status.message().orElseThrow());
    }

    @Test
    void anUnknownStatusKeepsPollingAndIsLoggedOnce() {
        fx.fusion.defineExtract(ExtractDefinition.named("E").script("ENQUEUED", "TELEPORTING", "TELEPORTING", "SUCCEEDED"));
        FusionBatchClient client = fx.client();
        JobRequestId id = client.submit(ExtractJob.immediate("E", ExtractMode.FULL));
        client.status(id);
        JobStatus odd = client.status(id);
        assertEquals(JobState.RUNNING, odd.state());
        assertFalse(odd.known());
        client.status(id);
        assertEquals(JobState.SUCCEEDED, client.status(id).state());
        long warnings = fx.log.lines().stream().filter(l -> l.path("status").asText().equals("TELEPORTING")).count();
        assertEquals(1, warnings);
    }

    @ParameterizedTest
    @EnumSource(ExtractDefinition.ListingStyle.class)
    void followsPagesUntilEveryFileIsSeen(ExtractDefinition.ListingStyle style) {
        fx.fusion.maxPageSize(2);
        List<OutputContent> seven = IntStream.rangeClosed(1, 7)
                .mapToObj(i -> OutputContent.ofBytes("part_" + i + ".csv", ("row " + i + "\n").getBytes(StandardCharsets.UTF_8))).toList();
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.none()).extraFiles(seven).listingStyle(style).script("SUCCEEDED"));
        FusionBatchClient client = fx.client();
        JobRequestId id = runToEnd(client, "E");

        List<OutputFile> files = client.outputFiles(id);
        assertEquals(IntStream.rangeClosed(1, 7).mapToObj(i -> "part_" + i + ".csv").toList(), files.stream().map(OutputFile::name).toList());
        long listCalls = fx.fusion.requests().stream().filter(r -> r.rawPath().endsWith("/outputFiles")).count();
        assertTrue(listCalls >= 4, "listed in " + listCalls + " pages");
    }

    @Test
    void listsFilesWithSizeChecksumAndACheckedContentLink() {
        fx.fusion.defineExtract(ExtractDefinition.named("E").script("SUCCEEDED"));
        FusionBatchClient client = fx.client();
        OutputFile file = client.outputFiles(runToEnd(client, "E")).get(0);
        assertTrue(file.size() > 0);
        assertEquals(64, file.sha256Hex().orElseThrow().length());
        assertTrue(file.content().toString().startsWith(fx.fusion.baseUri() + "/api/saas-batch/jobfilemanager/v1/jobRequests/44046/outputFiles/"));
        assertTrue(file.timeCreated().matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}"), file.timeCreated());
    }

    @Test
    void aJobWithNoOutputListsNothing() {
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.none()).script("SUCCEEDED"));
        FusionBatchClient client = fx.client();
        assertEquals(List.of(), client.outputFiles(runToEnd(client, "E")));
    }

    @Test
    void downloadsEveryFileWithTheChecksumVerified() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("E").output(OutputSpec.small().withUncompressedBytes(300_000)));
        FusionBatchClient client = fx.client();
        for (OutputFile file : client.outputFiles(runToEnd(client, "E"))) {
            try (InputStream in = client.download(file)) {
                byte[] bytes = in.readAllBytes();
                assertEquals(file.size(), bytes.length);
                assertEquals(file.sha256Hex().orElseThrow(), sha256(bytes));
            }
        }
    }

    @Test
    void aWrongChecksumIsRefusedAtTheEndOfTheStream() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("E").wrongChecksum(true));
        FusionBatchClient client = fx.client();
        OutputFile file = client.outputFiles(runToEnd(client, "E")).get(0);
        try (InputStream in = client.download(file)) {
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains(file.safeName()) && e.getMessage().contains("refused"), e.getMessage());
        }
    }

    @Test
    void aFusionRefusalCarriesItsOwnExplanation() {
        HttpFailure.RejectedException e = assertThrows(HttpFailure.RejectedException.class, () -> fx.client().status(new JobRequestId("999")));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("job request 999 does not exist"), e.getMessage());
    }

    @Test
    void anUnknownExtractEndsInAFailedJobWithFusionsMessage() {
        FusionBatchClient client = fx.client();
        JobRequestId id = client.submit(ExtractJob.immediate("NoSuchExtract", ExtractMode.FULL));
        JobStatus status = client.status(id);
        assertEquals(JobState.FAILED, status.state());
        assertTrue(status.message().orElseThrow().contains("NoSuchExtract"));
    }

    @Test
    void noScopeAnywhereIsAClearError() {
        Map<String, String> settings = fx.settings();
        settings.remove("FUSION_SCOPE");
        PermanentException e = assertThrows(PermanentException.class, () -> fx.client(ExtractConfig.load(ConfigSource.of(settings))));
        assertTrue(e.getMessage().contains("FUSION_SCOPE"), e.getMessage());
    }

    @Test
    void theSecretsScopeIsUsedWhenNoneIsConfigured() {
        Map<String, String> settings = fx.settings();
        settings.remove("FUSION_SCOPE");
        fx.storeSecret("{\"clientId\":\"" + FusionFixture.CLIENT_ID + "\",\"clientSecret\":\"" + FusionFixture.CLIENT_SECRET
                + "\",\"scope\":\"" + fx.fusion.batchScope() + "\"}");
        assertEquals("44046", fx.client(ExtractConfig.load(ConfigSource.of(settings))).submit(ExtractJob.immediate("E", ExtractMode.FULL)).value());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
