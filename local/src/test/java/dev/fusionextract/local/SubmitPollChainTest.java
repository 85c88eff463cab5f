package dev.fusionextract.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.JobStep;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit-function and poll-function chained as OCI Events and Notifications chain them, over both emulators:
 * the request object's event goes to submit, POLL messages to poll, and TRANSFER / STATUS messages are
 * collected where transfer-function and a subscriber would get them.
 */
class SubmitPollChainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "events";
    private final ChainFixture fx = new ChainFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private Deliveries chain() {
        Components submit = fx.components(ConfigKey.Reader.SUBMIT);
        Components poll = fx.components(ConfigKey.Reader.POLL);
        return new Deliveries(fx)
                .route(EVENTS, SubmitFunction.with(submit)::handleRequest)
                .route(POLL_TOPIC, PollFunction.with(poll)::handleRequest);
    }

    @Test
    void aDroppedRequestIsSubmittedOncePolledToSuccessAndHandedToTransferOnceEvenWhenEverythingArrivesTwice() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(java.time.Duration.ofMinutes(9)));
        Deliveries chain = chain().duplicateEverything();
        String event = fx.dropRequest("requests/suppliers-full.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}");
        chain.deliver(EVENTS, event);
        chain.deliver(EVENTS, event);
        chain.drain(100);

        assertEquals(1, fx.fusion.submissions().size(), "one Fusion job");
        RunRecord run = fx.onlyRun();
        assertEquals(RunState.TRANSFERRING, run.state());
        assertEquals(List.of(RunState.REQUESTED, RunState.SUBMITTED, RunState.RUNNING, RunState.TRANSFERRING),
                run.history().stream().map(RunRecord.Transition::state).toList());
        assertEquals(1, fx.oci.notifications().messages(TRANSFER_TOPIC).size(), "TRANSFER published once");
        assertTrue(chain.delivered().stream().allMatch(d -> d.status() == 200), "nothing needed a redelivery");
        assertTrue(chain.to(POLL_TOPIC).stream().anyMatch(d -> d.reply().contains("dropped")), "duplicates were seen and dropped");
    }

    @Test
    void aJobEndingInErrorFailsTheRunWithFusionsMessage() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script(List.of(JobStep.of("ENQUEUED"), JobStep.of("RUNNING"),
                new JobStep("ERROR", "The extract definition Suppliers has no valid view objects."))));
        Deliveries chain = chain();
        chain.deliver(EVENTS, fx.dropRequest("requests/s.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"));
        chain.drain(20);
        RunRecord run = fx.onlyRun();
        assertEquals(RunState.FAILED, run.state());
        assertTrue(run.reason().contains("ended ERROR: The extract definition Suppliers has no valid view objects. Look at the job's log"), run.reason());
        assertTrue(fx.oci.notifications().messages(TRANSFER_TOPIC).isEmpty());
        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).get(0).body().contains("\"state\":\"FAILED\""));
    }

    @Test
    void aJobThatNeverEndsTimesTheRunOut() throws Exception {
        fx.settings().put("MAX_RUN_MINUTES", "20");
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script("WAIT", "RUNNING"));
        Deliveries chain = chain();
        chain.deliver(EVENTS, fx.dropRequest("requests/s.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}"));
        chain.drain(30);
        RunRecord run = fx.onlyRun();
        assertEquals(RunState.TIMED_OUT, run.state());
        assertTrue(run.reason().contains("MAX_RUN_MINUTES=20"), run.reason());
        assertTrue(chain.to(POLL_TOPIC).size() <= 20 * 60 / 270 + 2, "invocations: " + chain.to(POLL_TOPIC).size());
    }

    @Test
    void aLandedManifestStartsOneDataIntegrationRunThatIsPolledToLoadedOrFailed() throws Exception {
        for (boolean succeeds : List.of(true, false)) {
            try (ChainFixture di = new ChainFixture()) {
                di.withDataIntegration(succeeds ? List.of("QUEUED", "RUNNING", "SUCCESS") : List.of("RUNNING", "ERROR"),
                        "ORA-12899: value too large for column AMOUNT");
                Components submit = di.components(ConfigKey.Reader.SUBMIT);
                Deliveries chain = new Deliveries(di).duplicateEverything()
                        .route(EVENTS, SubmitFunction.with(submit)::handleRequest)
                        .route(POLL_TOPIC, PollFunction.with(di.components(ConfigKey.Reader.POLL))::handleRequest);
                RunLedger ledger = submit.ledger();
                ledger.create(RunRecord.requested("r-di", JSON.readTree("{}"), di.now()));
                ledger.update("r-di", r -> r.moveTo(RunState.SUBMITTED, null, di.now()).withJobRequestId("1", di.now())
                        .moveTo(RunState.TRANSFERRING, null, di.now()).moveTo(RunState.LANDED, null, di.now()));
                di.oci.objectStorage().put(ChainFixture.LANDING, "fusion/S/2026-01-15/1/_manifest.json",
                        "{\"runId\":\"r-di\"}".getBytes(StandardCharsets.UTF_8));
                String event = di.createObjectEvent(ChainFixture.LANDING, "fusion/S/2026-01-15/1/_manifest.json");
                chain.deliver(EVENTS, event);
                chain.deliver(EVENTS, event);
                chain.drain(30);
                assertEquals(1, di.oci.dataIntegration().runs().size(), "one task run");
                RunRecord run = ledger.read("r-di").orElseThrow().record();
                assertEquals(succeeds ? RunState.LOADED : RunState.FAILED, run.state());
                if (!succeeds) {
                    assertTrue(run.reason().contains("ended ERROR: ORA-12899"), run.reason());
                }
                assertFalse(di.log.text().contains(dev.fusionextract.testing.FusionFixture.CLIENT_SECRET));
            }
        }
    }
}
