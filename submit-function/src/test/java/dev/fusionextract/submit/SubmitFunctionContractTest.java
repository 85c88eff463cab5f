package dev.fusionextract.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.testing.ChainFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit-function run by the FDK's own harness: configuration binding, input formats, error answers. */
class SubmitFunctionContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChainFixture fx = new ChainFixture();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        fx.close();
    }

    private FnResult run(FnTestingRule fn, String body) {
        fn.givenEvent().withHeader("Content-Type", "application/json").withBody(body).enqueue();
        fn.thenRun(SubmitFunction.class, "handleRequest");
        return fn.getOnlyResult();
    }

    @Test
    void aCloudEventsEnvelopeForARequestObjectIsSubmitted() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers"));
        FnResult result = run(fx.fnTestingRule(dir), fx.dropRequest("requests/r.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"));
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertEquals("SUBMITTED", body.path("state").asText());
        assertEquals("44046", body.path("jobRequestId").asText());
        assertTrue(body.path("runId").asText().startsWith("evt-"));
        assertEquals("application/json", result.getContentType().orElseThrow());
    }

    @Test
    void aDirectRequestIsSubmitted() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers"));
        FnResult result = run(fx.fnTestingRule(dir), "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"runId\":\"manual-7\"}");
        assertEquals(JSON.readTree("{\"runId\":\"manual-7\",\"jobRequestId\":\"44046\",\"state\":\"SUBMITTED\"}"),
                JSON.readTree(result.getBodyAsString()));
    }

    @Test
    void badInputIsAnsweredWithSuccessAndAJsonErrorSoThatItIsNotDeliveredAgain() throws Exception {
        FnResult result = run(fx.fnTestingRule(dir), "{\"mode\":\"FULL\"}");
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertEquals("REJECTED", body.path("state").asText());
        assertTrue(body.path("reason").asText().contains("extractName is required"));
    }

    @Test
    void aMisconfiguredFunctionAnswersAFunctionErrorNamingEveryKeySoTheEventWaitsForTheFix() throws Exception {
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.setConfig("POLL_TOPIC_OCID", "");
        fn.setConfig("FUSION_BASE_URL", "http://fusion.example.com");
        FnResult result = run(fn, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}");
        assertEquals(OutputEvent.Status.FunctionError, result.getStatus());
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertTrue(body.path("retryable").asBoolean());
        assertTrue(body.path("error").asText().contains("POLL_TOPIC_OCID is missing"), body.toString());
        assertTrue(body.path("error").asText().contains("FUSION_BASE_URL must use https://"), body.toString());
    }

    @Test
    void anEmptyRequestObjectIsRejectedAndTheFdkSeesANormalAnswer() throws Exception {
        FnResult result = run(fx.fnTestingRule(dir), fx.dropRequest("requests/empty.json", ""));
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertEquals("REJECTED", body.path("state").asText(), body.toString());
        assertTrue(body.path("reason").asText().contains("must be a JSON object"), body.toString());
    }

    @Test
    void aSweepIsADirectInputAndAnswersWhatItDid() throws Exception {
        FnResult result = run(fx.fnTestingRule(dir), "{\"sweep\":true}");
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode sweep = JSON.readTree(result.getBodyAsString()).path("sweep");
        assertTrue(sweep.path("complete").asBoolean(), sweep.toString());
        assertEquals(0, sweep.path("errors").asInt());
    }
}
