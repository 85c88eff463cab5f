package dev.fusionextract.local;

import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import dev.fusionextract.transfer.function.TransferFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.fusionextract.testing.ChainFixture.LANDING;
import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three functions chained as OCI Events and Notifications chain them, from a dropped request to a loaded run. */
class WholeChainTest {

    private static final String EVENTS = "events";
    private final ChainFixture fx = new ChainFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aDroppedRequestEndsLandedAndLoadedWithEveryDeliveryDoubled() throws Exception {
        fx.withDataIntegration(List.of("QUEUED", "RUNNING", "SUCCESS"), null);
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(6))
                .output(OutputSpec.small().withChunks(3).withTables(List.of("suppliers", "sites", "contacts"))));
        Deliveries chain = new Deliveries(fx).duplicateEverything()
                .route(EVENTS, SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT))::handleRequest)
                .route(POLL_TOPIC, PollFunction.with(fx.components(ConfigKey.Reader.POLL))::handleRequest)
                .route(TRANSFER_TOPIC, TransferFunction.with(fx.components(ConfigKey.Reader.TRANSFER))::handleRequest);
        String event = fx.dropRequest("requests/suppliers.json", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"landingPrefix\":\"erp\"}");
        chain.deliver(EVENTS, event);
        chain.deliver(EVENTS, event);
        chain.drain(200);

        RunRecord landed = fx.onlyRun();
        assertEquals(RunState.LANDED, landed.state());
        String manifest = fx.oci.objectStorage().objectNames(LANDING).stream().filter(n -> n.endsWith("_manifest.json")).findFirst().orElseThrow();
        assertTrue(manifest.startsWith("erp/Suppliers/2026-01-15/44046/"), manifest);
        assertEquals(3 * 3 + 1, fx.oci.objectStorage().objectNames(LANDING).size() - 1, "9 CSV entries and the extract's own .mf, beside the manifest");

        // OCI Events: the manifest's createobject event goes to submit-function, which starts the load.
        String manifestEvent = fx.createObjectEvent(LANDING, manifest);
        chain.deliver(EVENTS, manifestEvent);
        chain.deliver(EVENTS, manifestEvent);
        chain.drain(50);
        RunRecord loaded = fx.onlyRun();
        assertEquals(RunState.LOADED, loaded.state());
        assertEquals(List.of(RunState.REQUESTED, RunState.SUBMITTED, RunState.RUNNING, RunState.TRANSFERRING, RunState.LANDED,
                RunState.LOADING, RunState.LOADED), loaded.history().stream().map(RunRecord.Transition::state).toList());
        assertEquals(1, fx.fusion.submissions().size());
        assertEquals(1, fx.oci.dataIntegration().runs().size());
        assertEquals(1, fx.oci.notifications().messages(TRANSFER_TOPIC).size());
        assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING));

        String everything = fx.log.text() + String.join("", fx.oci.notifications().messages().stream().map(m -> m.body()).toList())
                + new String(fx.oci.objectStorage().object(LANDING, manifest).orElseThrow().content(), StandardCharsets.UTF_8);
        for (String secret : fx.secretValues()) {
            assertFalse(everything.contains(secret), "a secret leaked");
        }
    }
}
