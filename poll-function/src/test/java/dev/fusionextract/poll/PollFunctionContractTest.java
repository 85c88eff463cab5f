package dev.fusionextract.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.fusion.ExtractJob;
import dev.fusionextract.fusion.ExtractMode;
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

/** poll-function run by the FDK's own harness: a Notifications body, the same JSON by fn invoke, and bad input. */
class PollFunctionContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChainFixture fx = new ChainFixture();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        fx.close();
    }

    private String submittedRun(String runId) throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("E").script("SUCCEEDED"));
        Components components = fx.components(ConfigKey.Reader.SUBMIT);
        String jobId = components.fusion().submit(ExtractJob.immediate("E", ExtractMode.FULL)).value();
        components.ledger().create(RunRecord.requested(runId, JSON.readTree("{}"), fx.now()));
        components.ledger().update(runId, r -> r.moveTo(RunState.SUBMITTED, null, fx.now()).withJobRequestId(jobId, fx.now()));
        return "{\"v\":1,\"type\":\"POLL\",\"runId\":\"" + runId + "\",\"system\":\"FUSION\",\"jobId\":\"" + jobId + "\",\"attempt\":1}";
    }

    private FnResult run(FnTestingRule fn) {
        fn.thenRun(PollFunction.class, "handleRequest");
        return fn.getOnlyResult();
    }

    @Test
    void aNotificationsDeliveryIsTheRawMessageBody() throws Exception {
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.givenEvent().withHeader("X-OCI-NS-MessageId", "msg-1").withHeader("X-OCI-NS-TopicOcid", ChainFixture.POLL_TOPIC)
                .withBody(submittedRun("r-ns")).enqueue();
        FnResult result = run(fn);
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        assertEquals("TRANSFERRING", JSON.readTree(result.getBodyAsString()).path("state").asText());
        assertEquals(1, fx.oci.notifications().messages(ChainFixture.TRANSFER_TOPIC).size());
    }

    @Test
    void theSameJsonByFnInvokeIsHandledAlike() throws Exception {
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.givenEvent().withHeader("Content-Type", "application/json").withBody(submittedRun("r-invoke")).enqueue();
        assertEquals("TRANSFERRING", JSON.readTree(run(fn).getBodyAsString()).path("state").asText());
    }

    @Test
    void aMalformedMessageIsAnsweredWithSuccessAndAJsonError() throws Exception {
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.givenEvent().withBody("{\"v\":1,\"type\":\"POLL\",\"runId\":\"r\"}").enqueue();
        FnResult result = run(fn);
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertTrue(body.path("error").asText().contains("attempt must be a whole number"), body.toString());
        assertTrue(body.path("error").asText().contains("system must be one of"), body.toString());
    }

    @Test
    void aJobStatusAnsweredWith404EndsTheRunAndTheFdkSeesANormalAnswer() throws Exception {
        String message = submittedRun("r-404");
        fx.fusion.faults(dev.fusionextract.emulator.fusion.Endpoint.STATUS).add(dev.fusionextract.emulator.fusion.Fault.status(404));
        FnTestingRule fn = fx.fnTestingRule(dir);
        fn.givenEvent().withBody(message).enqueue();
        FnResult result = run(fn);
        assertEquals(OutputEvent.Status.Success, result.getStatus(), "no Throwable reached the FDK");
        JsonNode body = JSON.readTree(result.getBodyAsString());
        assertEquals("FAILED", body.path("state").asText(), body.toString());
        assertTrue(body.path("reason").asText().contains("HTTP 404") && body.path("reason").asText().contains("FUSION_BASE_URL"), body.toString());
        assertTrue(fx.oci.notifications().messages(ChainFixture.STATUS_TOPIC).get(0).body().contains("\"state\":\"FAILED\""));
    }
}
