package dev.fusionextract.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fnproject.fn.api.OutputEvent;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.ZipVariant;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.WorkLedger;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.messages.StageMessages;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import dev.fusionextract.transfer.function.TransferFunction;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.fusionextract.testing.ChainFixture.CONTROL;
import static dev.fusionextract.testing.ChainFixture.LANDING;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run's output files landed by several transfer workers (TRANSFER_WORKERS): the same objects and manifest as
 * one worker, whatever the deliveries do, a dead worker's file taken over, one join, one failure.
 */
class TransferWorkersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = Chains.EVENTS;
    private static final String REQUEST = "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"w-1\"}";
    private static final OutputSpec TWELVE_CHUNKS = OutputSpec.small().withChunks(12).withTables(List.of("suppliers", "sites"));

    /** What landed: each object's size and MD5, and the manifest without its time. */
    private record Landed(Map<String, String> objects, JsonNode manifest) {
    }

    private static Landed landed(ChainFixture fx) {
        Map<String, String> objects = new TreeMap<>();
        JsonNode manifest = null;
        for (String name : fx.oci.objectStorage().objectNames(LANDING)) {
            var object = fx.oci.objectStorage().object(LANDING, name).orElseThrow();
            // The manifest's own MD5 changes with its landedAt; its content is compared without it.
            objects.put(name, object.size() + (name.endsWith("_manifest.json") ? "" : " " + object.listedMd5()));
            if (name.endsWith("_manifest.json")) {
                try {
                    manifest = JSON.readTree(object.content());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                ((ObjectNode) manifest).remove("landedAt");
            }
        }
        return new Landed(objects, manifest);
    }

    private static ChainFixture fixture(int workers, OutputSpec output) {
        ChainFixture fx = new ChainFixture();
        fx.settings().put("TRANSFER_WORKERS", String.valueOf(workers));
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(output));
        return fx;
    }

    /** Runs the request through the whole chain with one delivery at a time. */
    private static Landed run(int workers, boolean doubledAndReordered) {
        try (ChainFixture fx = fixture(workers, TWELVE_CHUNKS)) {
            Deliveries chain = Chains.whole(fx);
            if (doubledAndReordered) {
                chain.duplicateEverything().reorderEverything();
            }
            chain.deliver(EVENTS, REQUEST);
            chain.drain(2000);
            assertEquals(RunState.LANDED, fx.onlyRun().state(), fx.onlyRun().reason());
            assertEquals(1, statuses(fx).size(), "one STATUS");
            assertEquals(1, manifestWrites(fx), "one manifest");
            assertTrue(fx.oci.objectStorage().openUploads(LANDING).isEmpty());
            List<String> kept = fx.oci.objectStorage().objectNames(CONTROL).stream().filter(n -> n.startsWith(WorkLedger.PREFIX)).toList();
            // A late worker must find every file and the join done, not land a file again after the run landed.
            assertEquals(workers == 1 ? 0 : 12 + 1, kept.size(), kept.toString());
            assertTrue(kept.stream().allMatch(n -> n.startsWith(WorkLedger.PREFIX + "w-1/claims/") || n.equals(WorkLedger.PREFIX + "w-1/join.json")),
                    "only the claims and the join stay once the run has landed: " + kept);
            return landed(fx);
        }
    }

    private static List<String> statuses(ChainFixture fx) {
        return fx.oci.notifications().messages(STATUS_TOPIC).stream().map(PublishedMessage::body).toList();
    }

    private static long manifestWrites(ChainFixture fx) {
        return fx.oci.requests().stream().filter(r -> r.method().equals("PUT") && r.rawPath().contains("/o/")
                && r.rawPath().endsWith("_manifest.json")).count();
    }

    @Test
    void fourAndEightWorkersLandTheSameObjectsAndManifestAsOne() {
        Landed one = run(1, false);
        assertEquals(12 * 2 + 1 + 1, one.objects().size(), "24 CSV entries, the extract's .mf and the manifest");
        assertEquals(one, run(4, false));
        assertEquals(one, run(8, false));
    }

    @Test
    void everyDeliveryDoubledAndReorderedChangesNothing() {
        assertEquals(run(1, false), run(4, true));
    }

    /** Hands a message to a function instance of its own, as OCI hands concurrent invocations to separate containers. */
    private static String invoke(ChainFixture fx, TransferFunction function, String body) {
        OutputEvent out = function.handleRequest(fx.invocation(body));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            out.writeToOutput(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Brings the run to TRANSFERRING and returns the lead's TRANSFER message, which nobody delivers. */
    private static String transferring(ChainFixture fx) {
        Deliveries submitAndPoll = new Deliveries(fx)
                .route(EVENTS, dev.fusionextract.submit.SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT))::handleRequest)
                .route(ChainFixture.POLL_TOPIC, dev.fusionextract.poll.PollFunction.with(fx.components(ConfigKey.Reader.POLL))::handleRequest);
        submitAndPoll.deliver(EVENTS, REQUEST);
        submitAndPoll.drain(50);
        return fx.oci.notifications().messages(TRANSFER_TOPIC).get(0).body();
    }

    @Test
    void concurrentWorkersShareTheFilesAndJoinOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (ChainFixture fx = fixture(4, OutputSpec.small().withChunks(8))) {
                fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.slow(Duration.ofMillis(10)), 1000);
                String lead = transferring(fx);
                List<TransferFunction> containers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    containers.add(TransferFunction.with(fx.components(ConfigKey.Reader.TRANSFER)));
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<String>> replies = new ArrayList<>();
                    replies.add(pool.submit(() -> invoke(fx, containers.get(0), lead)));
                    List<String> helpers = new ArrayList<>();
                    for (int i = 0; i < 500 && helpers.size() < 3; i++) {
                        helpers = fx.oci.notifications().messages(TRANSFER_TOPIC).stream().map(PublishedMessage::body)
                                .filter(b -> b.contains("\"worker\"")).toList();
                        Thread.sleep(10);
                    }
                    assertEquals(3, helpers.size(), "the lead starts workers 2, 3 and 4");
                    for (int i = 0; i < helpers.size(); i++) {
                        TransferFunction container = containers.get(i + 1);
                        String helper = helpers.get(i);
                        replies.add(pool.submit(() -> invoke(fx, container, helper)));
                    }
                    for (Future<String> reply : replies) {
                        reply.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertEquals(RunState.LANDED, fx.onlyRun().state(), fx.onlyRun().reason());
                assertEquals(1, statuses(fx).size(), "one STATUS");
                assertEquals(1, fx.log.lines().stream().filter(l -> l.path("msg").asText().equals("run landed")).count(), "one join");
                assertEquals(1, manifestWrites(fx), "one manifest: " + fx.oci.requests().stream().filter(r -> r.rawPath().endsWith("_manifest.json")).toList());
                assertEquals(8, fx.onlyRun().files().size());
                Set<Integer> workers = new TreeSet<>();
                fx.log.lines().stream().filter(l -> l.path("msg").asText().equals("file landed")).forEach(l -> workers.add(l.path("worker").asInt()));
                assertTrue(workers.size() > 1, "more than one worker landed files: " + workers);
            }
        }
    }

    @Test
    void aWorkerThatDiesHoldingAFileIsTakenOverAfterItsLease() {
        Landed reference = run(1, false);
        try (ChainFixture fx = fixture(4, TWELVE_CHUNKS)) {
            // A worker took file 5 and died: its hold stays until its lease runs out.
            WorkLedger work = fx.components(ConfigKey.Reader.TRANSFER).work();
            assertEquals(WorkLedger.Take.TAKEN, work.takeFile("w-1", 5, "worker-3/1", fx.time.instant().plus(Duration.ofMinutes(5))));
            Deliveries chain = Chains.whole(fx);
            chain.deliver(EVENTS, REQUEST);
            chain.drain(500);
            assertEquals(RunState.TRANSFERRING, fx.onlyRun().state(), "eleven files landed, one held by a dead worker");
            assertTrue(fx.oci.objectStorage().objectNames(LANDING).stream().noneMatch(n -> n.endsWith("_manifest.json")));
            fx.time.advance(Duration.ofMinutes(11));
            chain.deliver(EVENTS, "{\"sweep\":true}");
            chain.drain(500);
            assertEquals(RunState.LANDED, fx.onlyRun().state(), fx.onlyRun().reason());
            assertEquals(reference, landed(fx), "the same objects and manifest as one uninterrupted worker");
            assertTrue(fx.log.lines().stream().anyMatch(l -> l.path("msg").asText().startsWith("file of a worker whose lease ran out")));
            assertEquals(1, statuses(fx).size());
        }
    }

    @Test
    void theSweepLeavesARunAloneWhileItsWorkersWrite() throws Exception {
        try (ChainFixture fx = fixture(4, TWELVE_CHUNKS)) {
            WorkLedger work = fx.components(ConfigKey.Reader.TRANSFER).work();
            assertEquals(WorkLedger.Take.TAKEN, work.takeFile("w-1", 5, "worker-3/1", fx.time.instant().plus(Duration.ofHours(1))));
            Deliveries chain = Chains.whole(fx);
            chain.deliver(EVENTS, REQUEST);
            chain.drain(500);
            assertEquals(RunState.TRANSFERRING, fx.onlyRun().state(), "file 5 is held by a worker still at work");
            fx.time.advance(Duration.ofMinutes(8));
            // The worker holding file 5 is still writing (workers never write the run record).
            work.takeFile("w-1", 99, "worker-3/2", fx.time.instant().plus(Duration.ofHours(1)));
            fx.time.advance(Duration.ofMinutes(3));
            assertEquals(0, JSON.readTree(chain.deliver(EVENTS, "{\"sweep\":true}").reply()).path("sweep").path("resent").asInt(),
                    "the run record is 11 minutes old, but a worker wrote 3 minutes ago: no nudge");
            fx.time.advance(Duration.ofMinutes(8));
            assertEquals(1, JSON.readTree(chain.deliver(EVENTS, "{\"sweep\":true}").reply()).path("sweep").path("resent").asInt(),
                    "quiet for 11 minutes: the lead is sent again");
        }
    }

    @Test
    void aFileThatFailsFailsTheRunOnceAndLeavesNothing() {
        try (ChainFixture fx = fixture(4, OutputSpec.small().withChunks(8).withVariant(ZipVariant.ZIP_SLIP))) {
            Deliveries chain = Chains.whole(fx);
            chain.deliver(EVENTS, REQUEST);
            chain.drain(2000);
            assertEquals(RunState.FAILED, fx.onlyRun().state());
            List<String> statuses = statuses(fx);
            assertEquals(1, statuses.size(), statuses.toString());
            assertTrue(statuses.get(0).contains("FAILED"));
            assertEquals(List.of(), fx.oci.objectStorage().objectNames(LANDING), "nothing of the run stays landed");
            assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING));
        }
    }

    @Test
    void aWorkerMessageIsReadStrictly() {
        StageMessage.Transfer worker = StageMessages.parse("{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r\",\"jobRequestId\":\"1\",\"attempt\":1,"
                + "\"worker\":3}", StageMessage.Transfer.class);
        assertEquals(3, worker.worker());
        assertEquals(worker, StageMessages.parse(StageMessages.toJson(worker), StageMessage.Transfer.class));
        for (String bad : List.of("1", "17", "\"2\"", "2.5")) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> StageMessages.parse(
                    "{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r\",\"jobRequestId\":\"1\",\"attempt\":1,\"worker\":" + bad + "}",
                    StageMessage.Transfer.class));
            assertTrue(e.getMessage().contains("worker must be a whole number from 2 to 16"), e.getMessage());
        }
    }
}
