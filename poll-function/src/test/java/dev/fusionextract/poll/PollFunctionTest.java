package dev.fusionextract.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.JobStep;
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

import java.time.Duration;
import java.util.List;

import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** poll-function's handler over both emulators: runs are seeded in the ledger and jobs submitted to the simulator. */
class PollFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChainFixture fx = new ChainFixture();
    private Components components;
    private Deliveries deliveries;

    @AfterEach
    void close() {
        fx.close();
    }

    private Deliveries deliveries() {
        if (deliveries == null) {
            components = fx.components(ConfigKey.Reader.POLL);
            deliveries = new Deliveries(fx).route(POLL_TOPIC, PollFunction.with(components)::handleRequest);
        }
        return deliveries;
    }

    /** A run as submit-function leaves it: SUBMITTED, with a job the simulator knows. */
    private String submitted(String runId, ExtractDefinition extract) throws Exception {
        fx.fusion.defineExtract(extract);
        deliveries();
        String jobId = fx.components(ConfigKey.Reader.SUBMIT).fusion()
                .submit(dev.fusionextract.fusion.ExtractJob.immediate(extract.name(), dev.fusionextract.fusion.ExtractMode.FULL)).value();
        RunLedger ledger = components.ledger();
        ledger.create(RunRecord.requested(runId, JSON.readTree("{\"extractName\":\"" + extract.name() + "\",\"mode\":\"FULL\"}"), fx.now()));
        ledger.update(runId, r -> r.moveTo(RunState.SUBMITTED, "job", fx.now()).withJobRequestId(jobId, fx.now()));
        return jobId;
    }

    private static String poll(String runId, String jobId, int attempt) {
        return "{\"v\":1,\"type\":\"POLL\",\"runId\":\"" + runId + "\",\"system\":\"FUSION\",\"jobId\":\"" + jobId + "\",\"attempt\":" + attempt + "}";
    }

    private RunRecord run(String runId) {
        return components.ledger().read(runId).map(RunLedger.Versioned::record).orElseThrow();
    }

    @Test
    void aSucceededJobHandsTheRunToTransferOnce() throws Exception {
        String jobId = submitted("r-ok", ExtractDefinition.named("E").script("ENQUEUED", "RUNNING", "RUNNING", "SUCCEEDED"));
        deliveries().deliver(POLL_TOPIC, poll("r-ok", jobId, 1));
        deliveries().drain(20);
        RunRecord run = run("r-ok");
        assertEquals(RunState.TRANSFERRING, run.state());
        assertEquals(List.of(RunState.REQUESTED, RunState.SUBMITTED, RunState.RUNNING, RunState.TRANSFERRING),
                run.history().stream().map(RunRecord.Transition::state).toList());
        List<PublishedMessage> transfers = fx.oci.notifications().messages(TRANSFER_TOPIC);
        assertEquals(1, transfers.size());
        assertEquals(JSON.readTree("{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r-ok\",\"jobRequestId\":\"" + jobId + "\",\"attempt\":1}"),
                JSON.readTree(transfers.get(0).body()));
    }

    @Test
    void everyMessageDeliveredTwiceStillHandsOverOnce() throws Exception {
        String jobId = submitted("r-dup", ExtractDefinition.named("E").runsFor(Duration.ofMinutes(12)));
        deliveries().duplicateEverything();
        deliveries().deliver(POLL_TOPIC, poll("r-dup", jobId, 1));
        deliveries().deliver(POLL_TOPIC, poll("r-dup", jobId, 1));
        deliveries().drain(50);
        assertEquals(RunState.TRANSFERRING, run("r-dup").state());
        assertEquals(1, fx.oci.notifications().messages(TRANSFER_TOPIC).size());
        assertTrue(deliveries().to(POLL_TOPIC).stream().anyMatch(d -> d.reply().contains("\"dropped\"")), "duplicates were dropped");
    }

    @Test
    void aFailedJobEndsTheRunWithTheJobsOwnMessage() throws Exception {
        String jobId = submitted("r-err", ExtractDefinition.named("E")
                .script(List.of(JobStep.of("RUNNING"), new JobStep("ERROR", "ORA-01652: unable to extend temp segment"))));
        JsonNode reply = JSON.readTree(deliveries().deliver(POLL_TOPIC, poll("r-err", jobId, 1)).reply());
        assertEquals("FAILED", reply.path("state").asText());
        RunRecord run = run("r-err");
        assertEquals(RunState.FAILED, run.state());
        assertEquals("Fusion job " + jobId + " ended ERROR: ORA-01652: unable to extend temp segment. Look at the job's log in Fusion's "
                + "Scheduled Processes and run the extract again once the cause is fixed.", run.reason());
        PublishedMessage status = fx.oci.notifications().messages(STATUS_TOPIC).get(0);
        assertTrue(status.body().contains("\"state\":\"FAILED\"") && status.body().contains("ORA-01652"), status.body());
        assertTrue(fx.oci.notifications().messages(TRANSFER_TOPIC).isEmpty());
    }

    @Test
    void aJobThatNeverEndsIsTimedOutAtTheRunsLimit() throws Exception {
        fx.settings().put("MAX_RUN_MINUTES", "30");
        String jobId = submitted("r-slow", ExtractDefinition.named("E").script("RUNNING"));
        deliveries().deliver(POLL_TOPIC, poll("r-slow", jobId, 1));
        deliveries().drain(20);
        RunRecord run = run("r-slow");
        assertEquals(RunState.TIMED_OUT, run.state());
        assertTrue(run.reason().contains("still RUNNING after 30 minutes (MAX_RUN_MINUTES=30)"), run.reason());
        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).get(0).body().contains("TIMED_OUT"));
    }

    @Test
    void aLongJobTakesAtMostCeilOfItsDurationOverTheBudgetPlusOneInvocations() throws Exception {
        Duration job = Duration.ofMinutes(47);
        String jobId = submitted("r-long", ExtractDefinition.named("E").runsFor(job));
        deliveries().deliver(POLL_TOPIC, poll("r-long", jobId, 1));
        deliveries().drain(50);
        long invocations = deliveries().to(POLL_TOPIC).size();
        long budget = ChainFixture.FUNCTION_TIMEOUT.minusSeconds(30).toSeconds();
        long bound = (job.toSeconds() + budget - 1) / budget + 1;
        assertEquals(RunState.TRANSFERRING, run("r-long").state());
        assertTrue(invocations <= bound, invocations + " invocations > bound " + bound);
        long fixedIntervalChecks = job.toSeconds() / 15; // POLL_INTERVAL_SECONDS default
        int checks = fx.fusion.job(Long.parseLong(jobId)).orElseThrow().statusRequests();
        assertTrue(checks < fixedIntervalChecks / 2, checks + " checks: the interval grows");
        PublishedMessage last = fx.oci.notifications().messages(POLL_TOPIC).get(fx.oci.notifications().messages(POLL_TOPIC).size() - 1);
        assertTrue(last.body().contains("\"attempt\":" + invocations), last.body());
    }

    @Test
    void aStaleAttemptIsAcknowledgedAndDropped() throws Exception {
        String jobId = submitted("r-stale", ExtractDefinition.named("E").script("RUNNING"));
        deliveries();
        components.ledger().update("r-stale", r -> r.claim(Stage.POLL, 4, fx.now().plusSeconds(300), fx.now()).finish(Stage.POLL, 4, fx.now()));
        JsonNode reply = JSON.readTree(deliveries().deliver(POLL_TOPIC, poll("r-stale", jobId, 2)).reply());
        assertTrue(reply.path("dropped").asText().contains("STALE"), reply.toString());
        assertEquals(0, fx.fusion.job(Long.parseLong(jobId)).orElseThrow().statusRequests());
    }

    @Test
    void anAttemptHeldByALiveInvocationIsAskedForAgainAndTakenOverOnceItsLeaseRunsOut() throws Exception {
        String jobId = submitted("r-held", ExtractDefinition.named("E").runsFor(java.time.Duration.ofMinutes(1)));
        deliveries();
        components.ledger().update("r-held", r -> r.claim(Stage.POLL, 1, fx.now().plusSeconds(300), fx.now()));
        Deliveries.Delivery held = deliveries().deliver(POLL_TOPIC, poll("r-held", jobId, 1));
        assertEquals(502, held.status(), "a 200 would lose the message for good if the holder had died");
        assertTrue(held.reply().contains("held by another invocation"), held.reply());
        assertEquals(0, fx.fusion.job(Long.parseLong(jobId)).orElseThrow().statusRequests());
        deliveries().drain(10);
        assertEquals(RunState.TRANSFERRING, run("r-held").state(), "the redelivery after the lease took the polling over");
    }

    @Test
    void aMessageForARunThatIsAlreadyPastPollingIsDropped() throws Exception {
        String jobId = submitted("r-past", ExtractDefinition.named("E"));
        components.ledger().update("r-past", r -> r.moveTo(RunState.FAILED, "cancelled", fx.now()));
        JsonNode reply = JSON.readTree(deliveries().deliver(POLL_TOPIC, poll("r-past", jobId, 1)).reply());
        assertTrue(reply.path("dropped").asText().contains("FAILED"), reply.toString());
    }

    @Test
    void aTransferMessageThatCouldNotBeSentIsSentByTheRedeliveryOnce() throws Exception {
        fx.settings().put("RETRY_MAX_ATTEMPTS", "1");
        String jobId = submitted("r-lost", ExtractDefinition.named("E").script("SUCCEEDED"));
        fx.oci.faults().next(dev.fusionextract.emulator.oci.OciOperation.PUBLISH_MESSAGE, dev.fusionextract.emulator.oci.OciFault.unavailable());
        assertEquals(502, deliveries().deliver(POLL_TOPIC, poll("r-lost", jobId, 1)).status());
        assertEquals(RunState.TRANSFERRING, run("r-lost").state());
        assertTrue(fx.oci.notifications().messages(TRANSFER_TOPIC).isEmpty());
        deliveries().drain(5); // the redelivery
        deliveries().deliver(POLL_TOPIC, poll("r-lost", jobId, 1)); // and a plain duplicate
        assertEquals(1, fx.oci.notifications().messages(TRANSFER_TOPIC).size());
        assertEquals(1, fx.fusion.job(Long.parseLong(jobId)).orElseThrow().statusRequests(), "the job was not asked again");
    }

    @Test
    void aFusionOutageAnswersRetryAndGivesTheAttemptBack() throws Exception {
        fx.settings().put("RETRY_MAX_ATTEMPTS", "1");
        String jobId = submitted("r-503", ExtractDefinition.named("E").script("SUCCEEDED"));
        fx.fusion.faults(Endpoint.STATUS).add(Fault.status(503));
        assertEquals(502, deliveries().deliver(POLL_TOPIC, poll("r-503", jobId, 1)).status());
        deliveries().drain(5);
        assertEquals(RunState.TRANSFERRING, run("r-503").state());
    }

    @Test
    void malformedMessagesAreRefusedClearlyAndNotRetried() throws Exception {
        deliveries();
        for (String body : List.of("not json", "{\"v\":2,\"type\":\"POLL\",\"runId\":\"r\",\"system\":\"FUSION\",\"jobId\":\"1\",\"attempt\":1}",
                "{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r\",\"jobRequestId\":\"1\",\"attempt\":1}")) {
            Deliveries.Delivery reply = deliveries.deliver(POLL_TOPIC, body);
            assertEquals(200, reply.status());
            assertTrue(JSON.readTree(reply.reply()).path("error").asText().contains("The POLL message is invalid"), reply.reply());
        }
    }

    @Test
    void aDataIntegrationRunIsPolledToLoadedOrFailed() throws Exception {
        fx.withDataIntegration(List.of("QUEUED", "RUNNING", "SUCCESS"), null);
        deliveries();
        components.ledger().create(RunRecord.requested("r-di", JSON.readTree("{}"), fx.now()));
        String key = components.dataIntegration().orElseThrow().start("r-di", "fusion/E/", "fusion/E/_manifest.json");
        components.ledger().update("r-di", r -> r.moveTo(RunState.SUBMITTED, null, fx.now()).moveTo(RunState.TRANSFERRING, null, fx.now())
                .moveTo(RunState.LANDED, null, fx.now()).moveTo(RunState.LOADING, null, fx.now()).withTaskRunKey(key, fx.now()));
        deliveries.deliver(POLL_TOPIC, "{\"v\":1,\"type\":\"POLL\",\"runId\":\"r-di\",\"system\":\"DATA_INTEGRATION\",\"jobId\":\"" + key
                + "\",\"attempt\":1}");
        deliveries.drain(10);
        assertEquals(RunState.LOADED, run("r-di").state());
        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).get(0).body().contains("LOADED"));
    }
}
