package dev.fusionextract.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit-function's handler over both emulators, invoked with Fn's own input events. */
class SubmitFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBMIT = "submit";
    private final ChainFixture fx = new ChainFixture();
    private Components components;
    private Deliveries deliveries;

    SubmitFunctionTest() {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers"));
    }

    private Deliveries deliveries() {
        if (deliveries == null) {
            components = fx.components(ConfigKey.Reader.SUBMIT);
            SubmitFunction function = SubmitFunction.with(components);
            deliveries = new Deliveries(fx).route(SUBMIT, function::handleRequest);
        }
        return deliveries;
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private RunRecord run(String runId) {
        return components.ledger().read(runId).map(RunLedger.Versioned::record).orElseThrow();
    }

    @Test
    void aScheduleRunIdTemplateMakesOneRunPerOccurrenceHoweverOftenItIsInvoked() throws Exception {
        String nightly = "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\",\"runId\":\"suppliers-nightly-{date}\",\"schedule\":\"suppliers-nightly\"}";
        fx.time.advance(Duration.between(fx.time.instant(), Instant.parse("2026-03-04T02:00:03Z")));
        Deliveries.Delivery first = deliveries().deliver(SUBMIT, nightly);
        fx.time.advance(Duration.ofMinutes(3)); // the scheduler invokes again, late, for the same night
        Deliveries.Delivery again = deliveries().deliver(SUBMIT, nightly);
        assertEquals("suppliers-nightly-2026-03-04", json(first.reply()).path("runId").asText());
        assertEquals("suppliers-nightly-2026-03-04", json(again.reply()).path("runId").asText());
        assertTrue(json(again.reply()).path("duplicate").asBoolean(), again.reply());
        assertEquals(1, fx.fusion.submissions().size(), "one occurrence, one Fusion job");
        fx.time.advance(Duration.ofDays(1));
        Deliveries.Delivery next = deliveries().deliver(SUBMIT, nightly);
        assertEquals("suppliers-nightly-2026-03-05", json(next.reply()).path("runId").asText());
        assertEquals(2, fx.fusion.submissions().size(), "the next occurrence is a run of its own");
        assertEquals("suppliers-nightly", run("suppliers-nightly-2026-03-05").request().path("schedule").asText());
        assertEquals("suppliers-nightly-{date}", run("suppliers-nightly-2026-03-05").request().path("runId").asText(),
                "the record keeps the template it was made from");
    }

    @Test
    void aTemplateWithAnUnknownPlaceholderIsRejected() throws Exception {
        Deliveries.Delivery reply = deliveries().deliver(SUBMIT, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"x-{day}\"}");
        JsonNode body = json(reply.reply());
        assertEquals("REJECTED", body.path("state").asText(), reply.reply());
        assertTrue(run(body.path("runId").asText()).reason().contains("unknown placeholder {day}"));
        assertTrue(fx.fusion.submissions().isEmpty());
    }

    @Test
    void aDirectRequestSubmitsTheJobRecordsItAndAsksForPolling() throws Exception {
        Deliveries.Delivery reply = deliveries().deliver(SUBMIT, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"nightly-1\"}");
        assertEquals(200, reply.status());
        assertEquals(json("{\"runId\":\"nightly-1\",\"jobRequestId\":\"44046\",\"state\":\"SUBMITTED\"}"), json(reply.reply()));
        assertEquals("nightly-1::Suppliers::Full::Immediate", fx.fusion.submissions().get(0).path("description").asText());
        RunRecord run = run("nightly-1");
        assertEquals(RunState.SUBMITTED, run.state());
        assertEquals("44046", run.jobRequestId());
        assertEquals("fusion", run.request().path("landingPrefix").asText(), "the effective landing prefix is recorded");
        PublishedMessage poll = fx.oci.notifications().messages(POLL_TOPIC).get(0);
        assertEquals(json("{\"v\":1,\"type\":\"POLL\",\"runId\":\"nightly-1\",\"system\":\"FUSION\",\"jobId\":\"44046\",\"attempt\":1}"),
                json(poll.body()));
    }

    @Test
    void aRequestObjectEventSubmitsOnceHoweverOftenItIsDelivered() throws Exception {
        String event = fx.dropRequest("requests/suppliers.json", "{\"extractName\":\"Suppliers\",\"mode\":\"INCREMENTAL\"}");
        Deliveries.Delivery first = deliveries().deliver(SUBMIT, event);
        Deliveries.Delivery second = deliveries().deliver(SUBMIT, event);
        String runId = json(first.reply()).path("runId").asText();
        assertTrue(runId.startsWith("evt-"), runId);
        assertEquals(runId, json(second.reply()).path("runId").asText());
        assertTrue(json(second.reply()).path("duplicate").asBoolean());
        assertEquals(1, fx.fusion.submissions().size());
        assertEquals("Incremental Data Extract", fx.fusion.submissions().get(0).path("requestParameters").path("submit.argument2").asText());
        assertEquals(1, fx.oci.notifications().messages(POLL_TOPIC).size());
    }

    @Test
    void aNewVersionOfTheSameRequestObjectIsANewRun() throws Exception {
        String first = fx.dropRequest("requests/suppliers.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}");
        String second = fx.dropRequest("requests/suppliers.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}");
        assertFalse(json(deliveries().deliver(SUBMIT, first).reply()).path("runId").asText()
                .equals(json(deliveries().deliver(SUBMIT, second).reply()).path("runId").asText()));
        assertEquals(2, fx.fusion.submissions().size());
    }

    @Test
    void aMalformedRequestIsRejectedWithEveryProblemRecordedAndNotRetried() throws Exception {
        String event = fx.dropRequest("requests/bad.json", "{\"extract\":\"Suppliers\",\"mode\":\"SOMETIMES\",\"recurrence\":{\"interval\":0}}");
        Deliveries.Delivery reply = deliveries().deliver(SUBMIT, event);
        assertEquals(200, reply.status(), "a permanent problem is answered 200 so that OCI does not deliver it again");
        JsonNode body = json(reply.reply());
        assertEquals("REJECTED", body.path("state").asText());
        String reason = body.path("reason").asText();
        for (String expected : List.of("unknown field extract", "extractName is required", "mode must be FULL or INCREMENTAL",
                "recurrence.interval must be from 1")) {
            assertTrue(reason.contains(expected), expected + " in " + reason);
        }
        assertEquals(RunState.REJECTED, run(body.path("runId").asText()).state());
        assertEquals(reason, run(body.path("runId").asText()).reason());
        assertTrue(fx.fusion.submissions().isEmpty());
        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).get(0).body().contains("\"state\":\"REJECTED\""));
    }

    @Test
    void aRequestThatIsNotJsonIsRejected() throws Exception {
        JsonNode body = json(deliveries().deliver(SUBMIT, "extract Suppliers please").reply());
        assertEquals("REJECTED", body.path("state").asText());
        assertTrue(body.path("reason").asText().contains("not valid JSON"));
    }

    @Test
    void otherEventsAreAcknowledgedAndIgnored() throws Exception {
        fx.oci.objectStorage().put(ChainFixture.CONTROL, "runs/x.json", new byte[]{'{', '}'});
        for (String event : List.of(fx.createObjectEvent(ChainFixture.CONTROL, "runs/x.json"),
                fx.envelope("com.oraclecloud.objectstorage.deleteobject", ChainFixture.CONTROL, "requests/a.json", "etag"))) {
            Deliveries.Delivery reply = deliveries().deliver(SUBMIT, event);
            assertEquals(200, reply.status());
            assertTrue(json(reply.reply()).has("ignored"), reply.reply());
        }
        assertTrue(fx.fusion.submissions().isEmpty());
    }

    @Test
    void aFusionOutageAnswersRetryAndTheRedeliverySubmitsExactlyOnce() throws Exception {
        fx.settings().put("RETRY_MAX_ATTEMPTS", "2");
        fx.fusion.faults(Endpoint.SUBMIT).add(Fault.status(503), 2);
        String request = "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"r-503\"}";
        Deliveries.Delivery first = deliveries().deliver(SUBMIT, request);
        assertEquals(502, first.status(), "a transient failure asks OCI to deliver again");
        assertTrue(json(first.reply()).path("retryable").asBoolean());
        assertEquals(RunState.REQUESTED, run("r-503").state());
        assertFalse(run("r-503").stages().get(Stage.SUBMIT).done(), "the claim was given back");
        Deliveries.Delivery redelivered = deliveries.deliver(SUBMIT, request);
        assertEquals(200, redelivered.status());
        assertEquals("SUBMITTED", json(redelivered.reply()).path("state").asText());
        assertEquals(1, fx.fusion.submissions().size(), "the two refused attempts created nothing; one job in all");
        assertTrue(fx.fusion.job(44047).isEmpty());
        assertEquals(1, fx.oci.notifications().messages(POLL_TOPIC).size());
    }

    @Test
    void anEarlierInvocationThatDiedMidSubmissionFailsTheRunInsteadOfSubmittingAgain() throws Exception {
        components = fx.components(ConfigKey.Reader.SUBMIT);
        RunLedger ledger = components.ledger();
        ledger.create(RunRecord.requested("r-died", JSON.readTree("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"), fx.now()));
        ledger.update("r-died", r -> r.claim(Stage.SUBMIT, 1, fx.now().plusSeconds(300), fx.now()));
        fx.time.advance(Duration.ofSeconds(301));
        Deliveries.Delivery reply = deliveries().deliver(SUBMIT, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"r-died\"}");
        JsonNode body = json(reply.reply());
        assertEquals("FAILED", body.path("state").asText());
        assertTrue(body.path("reason").asText().contains("r-died::"), body.toString());
        assertTrue(fx.fusion.submissions().isEmpty());
    }

    @Test
    void aDeliveryWhileAnotherInvocationSubmitsIsAskedForAgainAndFindsTheOutcome() throws Exception {
        components = fx.components(ConfigKey.Reader.SUBMIT);
        components.ledger().create(RunRecord.requested("r-busy", JSON.readTree("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"), fx.now()));
        components.ledger().update("r-busy", r -> r.claim(Stage.SUBMIT, 1, fx.now().plusSeconds(300), fx.now()));
        Deliveries.Delivery reply = deliveries().deliver(SUBMIT, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"r-busy\"}");
        assertEquals(502, reply.status(), "not dropped: if the holder died, a 200 here would lose the run silently");
        assertTrue(reply.reply().contains("held by another invocation"), reply.reply());
        assertTrue(fx.fusion.submissions().isEmpty());
        // The holder never finishes: the redeliveries outlast its lease, and the run fails with what to check.
        deliveries().drain(10);
        assertEquals(RunState.FAILED, run("r-busy").state());
        assertTrue(run("r-busy").reason().contains("died while submitting"), run("r-busy").reason());
        assertTrue(fx.fusion.submissions().isEmpty());
    }

    @Test
    void aPollMessageThatCouldNotBeSentIsSentByTheRedeliveryWithoutASecondJob() throws Exception {
        fx.settings().put("RETRY_MAX_ATTEMPTS", "1");
        String event = fx.dropRequest("requests/s.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}");
        fx.oci.faults().next(dev.fusionextract.emulator.oci.OciOperation.PUBLISH_MESSAGE, dev.fusionextract.emulator.oci.OciFault.unavailable());
        Deliveries.Delivery failed = deliveries().deliver(SUBMIT, event);
        assertEquals(502, failed.status());
        assertTrue(fx.oci.notifications().messages(POLL_TOPIC).isEmpty());
        Deliveries.Delivery redelivered = deliveries().deliver(SUBMIT, event);
        assertEquals(200, redelivered.status());
        deliveries().deliver(SUBMIT, event); // and a plain duplicate afterwards sends nothing
        assertEquals(1, fx.oci.notifications().messages(POLL_TOPIC).size());
        assertEquals(1, fx.fusion.submissions().size());
    }

    @Test
    void badCredentialsFailTheRunWithAReasonAndNoSecret() throws Exception {
        fx.oci.secrets().put(dev.fusionextract.testing.FusionFixture.SECRET_OCID,
                ("{\"clientId\":\"" + dev.fusionextract.testing.FusionFixture.CLIENT_ID + "\",\"clientSecret\":\"wrong-secret-value\",\"scope\":\""
                        + fx.fusion.batchScope() + "\"}").getBytes(StandardCharsets.UTF_8));
        JsonNode body = json(deliveries().deliver(SUBMIT, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"r-cred\"}").reply());
        assertEquals("FAILED", body.path("state").asText());
        assertTrue(body.path("reason").asText().contains("invalid_client"), body.toString());
        assertFalse(fx.log.text().contains("wrong-secret-value"));
        assertFalse(body.toString().contains("wrong-secret-value"));
    }

    /** A run that landed its files, and the manifest event OCI Events sends for it. */
    private String landed(String runId) throws Exception {
        components = fx.components(ConfigKey.Reader.SUBMIT);
        RunLedger ledger = components.ledger();
        ledger.create(RunRecord.requested(runId, JSON.readTree("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"), fx.now()));
        ledger.update(runId, r -> r.moveTo(RunState.SUBMITTED, null, fx.now()).withJobRequestId("44046", fx.now())
                .moveTo(RunState.TRANSFERRING, null, fx.now()).moveTo(RunState.LANDED, "12 objects", fx.now()));
        String manifest = "fusion/Suppliers/2026-01-15/44046/_manifest.json";
        fx.oci.objectStorage().put(ChainFixture.LANDING, manifest, ("{\"runId\":\"" + runId + "\",\"objects\":[]}").getBytes(StandardCharsets.UTF_8));
        return fx.createObjectEvent(ChainFixture.LANDING, manifest);
    }

    @Test
    void aLandedManifestStartsTheDataIntegrationTaskOnceWithItsFolderAndPath() throws Exception {
        fx.withDataIntegration(List.of("QUEUED", "SUCCESS"), null);
        String event = landed("r-load");
        Deliveries.Delivery first = deliveries().deliver(SUBMIT, event);
        deliveries().deliver(SUBMIT, event);
        assertEquals("LOADING", json(first.reply()).path("state").asText());
        assertEquals(1, fx.oci.dataIntegration().runs().size());
        var taskRun = fx.oci.dataIntegration().runs().get(0);
        assertEquals(java.util.Map.of("LANDED_PREFIX", "fusion/Suppliers/2026-01-15/44046/",
                "MANIFEST_PATH", "fusion/Suppliers/2026-01-15/44046/_manifest.json"), taskRun.bindings());
        assertEquals("r-load", taskRun.retryToken());
        RunRecord run = run("r-load");
        assertEquals(RunState.LOADING, run.state());
        assertEquals(taskRun.key(), run.taskRunKey());
        List<PublishedMessage> polls = fx.oci.notifications().messages(POLL_TOPIC);
        assertEquals(1, polls.size());
        assertTrue(polls.get(0).body().contains("\"system\":\"DATA_INTEGRATION\""), polls.get(0).body());
    }

    @Test
    void aManifestWithoutADataIntegrationTaskConfiguredIsIgnored() throws Exception {
        String event = landed("r-noload");
        JsonNode reply = json(deliveries().deliver(SUBMIT, event).reply());
        assertTrue(reply.path("ignored").asText().contains("no Data Integration task"), reply.toString());
        assertEquals(RunState.LANDED, run("r-noload").state());
    }

    @Test
    void noSecretReachesTheLogTheLedgerOrAMessage() throws Exception {
        fx.withDataIntegration(List.of("SUCCESS"), null);
        deliveries().deliver(SUBMIT, fx.dropRequest("requests/a.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"));
        deliveries().deliver(SUBMIT, "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"password\":\"my-own-pw-123\"}");
        StringBuilder everything = new StringBuilder(fx.log.text());
        fx.oci.notifications().messages().forEach(m -> everything.append(m.body()));
        fx.oci.objectStorage().objectNames(ChainFixture.CONTROL).stream().filter(n -> n.startsWith("runs/"))
                .forEach(n -> everything.append(new String(fx.oci.objectStorage().object(ChainFixture.CONTROL, n).orElseThrow().content(),
                        StandardCharsets.UTF_8)));
        deliveries.delivered().forEach(d -> everything.append(d.reply()));
        assertTrue(fx.secretValues().size() >= 2);
        for (String secret : fx.secretValues()) {
            assertFalse(everything.toString().contains(secret), "a secret leaked");
        }
        assertFalse(everything.toString().contains("my-own-pw-123"), "a rejected request's content is not kept");
    }
}
