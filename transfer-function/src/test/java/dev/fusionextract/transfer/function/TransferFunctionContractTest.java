package dev.fusionextract.transfer.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.fusion.ExtractJob;
import dev.fusionextract.fusion.ExtractMode;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.testing.ChainFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** transfer-function run by the FDK's own harness: a Notifications body lands the files, bad input gets a JSON error. */
class TransferFunctionContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChainFixture fx = new ChainFixture();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aNotificationsDeliveryLandsTheFilesAnInfoZipArchiveIncluded() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("E").script("SUCCEEDED").extraFiles(java.util.List.of(
                dev.fusionextract.emulator.fusion.ForeignZip.INFOZIP_TREE.asOutput("E_infozip.zip"))));
        Components components = fx.components(ConfigKey.Reader.TRANSFER);
        String jobId = components.fusion().submit(ExtractJob.immediate("E", ExtractMode.FULL)).value();
        components.fusion().status(new JobRequestId(jobId));
        components.ledger().create(RunRecord.requested("r-fn", JSON.readTree("{\"extractName\":\"E\",\"mode\":\"FULL\",\"landingPrefix\":\"x\"}"),
                fx.now()));
        components.ledger().update("r-fn", r -> r.moveTo(RunState.SUBMITTED, null, fx.now()).withJobRequestId(jobId, fx.now())
                .moveTo(RunState.TRANSFERRING, null, fx.now()));
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.givenEvent().withHeader("X-OCI-NS-MessageId", "m-1")
                .withBody("{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r-fn\",\"jobRequestId\":\"" + jobId + "\",\"attempt\":1}").enqueue();
        fn.thenRun(TransferFunction.class, "handleRequest");
        FnResult result = fn.getOnlyResult();
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertEquals("LANDED", body.path("state").asText(), body.toString());
        assertTrue(fx.oci.objectStorage().object(ChainFixture.LANDING, body.path("manifest").asText()).isPresent());
        assertTrue(fx.oci.objectStorage().objectNames(ChainFixture.LANDING).stream().anyMatch(n -> n.endsWith("/export/suppliers.csv")),
                "the Info-ZIP archive's entries landed through the FDK's own harness");
    }

    @Test
    void aMalformedMessageGetsAJsonErrorAndIsNotRetried() throws Exception {
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.givenEvent().withBody("{\"v\":1,\"type\":\"POLL\"}").enqueue();
        fn.thenRun(TransferFunction.class, "handleRequest");
        FnResult result = fn.getOnlyResult();
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        assertTrue(JSON.readTree(result.getBodyAsString()).path("error").asText().contains("type must be TRANSFER"));
    }
}
