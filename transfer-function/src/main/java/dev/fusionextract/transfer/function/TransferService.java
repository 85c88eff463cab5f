package dev.fusionextract.transfer.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.fusion.OutputFile;
import dev.fusionextract.ledger.LedgerException;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.messages.StageMessages;
import dev.fusionextract.pipeline.Budget;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.pipeline.StageRunner;
import dev.fusionextract.transfer.FileTransfer;
import dev.fusionextract.transfer.LandingCleanup;
import dev.fusionextract.transfer.LandingNames;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lands a finished job's output files. Each file is landed whole and recorded in the ledger; the next file is
 * started only if it fits in what is left of the invocation's budget (estimated from the throughput measured
 * so far and the listed size), otherwise a TRANSFER continuation hands over to a new invocation. A redelivered
 * or continued message lands only the files not recorded yet, so the result is the same as one uninterrupted
 * run. The manifest is written last; then the run is LANDED.
 */
public final class TransferService {

    /** Assumed before anything was measured in this invocation. */
    static final double FIRST_ESTIMATE_BYTES_PER_SECOND = 16 * 1024 * 1024;
    /** Attempts per file in one invocation for failures that may pass, before the run fails naming the file. */
    static final int ATTEMPTS_PER_FILE = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Components components;
    private final StageRunner runner;

    public TransferService(Components components) {
        this.components = components;
        this.runner = new StageRunner(components);
    }

    public Reply handle(byte[] body, Instant deadline) {
        if (StageMessages.isPing(new String(body, StandardCharsets.UTF_8))) {
            return Reply.ping("transfer-function", components.log());
        }
        return runner.run(Stage.TRANSFER, delivery -> {
            StageMessage.Transfer message = StageMessages.parse(new String(body, StandardCharsets.UTF_8), StageMessage.Transfer.class);
            // A helper worker's errors are its own: they must not touch the lead's TRANSFER claim.
            Stage stage = message.worker() == null ? Stage.TRANSFER : Stage.TRANSFER_WORKER;
            JsonLog runLog = delivery.about(message.runId(), stage, message.attempt()).with("jobId", message.jobRequestId());
            return transfer(message, deadline, delivery, runLog);
        });
    }

    private Reply transfer(StageMessage.Transfer message, Instant deadline, StageRunner.Delivery delivery, JsonLog runLog) {
        RunLedger ledger = components.ledger();
        Optional<RunLedger.Versioned> found = ledger.read(message.runId());
        if (found.isEmpty()) {
            return Reply.dropped(message.runId(), "run " + message.runId() + " is not in the ledger", runLog);
        }
        RunRecord run = found.get().record();
        if (run.state() != RunState.TRANSFERRING || !message.jobRequestId().equals(run.jobRequestId())) {
            return Reply.dropped(message.runId(), "the run is " + run.state() + ", not waiting for a transfer of job " + message.jobRequestId(), runLog);
        }
        if (message.worker() != null || (components.pipeline().transferWorkers() > 1 && run.files().isEmpty())) {
            return new ParallelTransfer(components, this).transfer(message, run, deadline, delivery, runLog);
        }
        Optional<Reply> notClaimed = Reply.unlessClaimed(delivery.claim(deadline, true), message.runId(), Stage.TRANSFER, message.attempt(),
                runLog);
        if (notClaimed.isPresent()) {
            return notClaimed.get();
        }
        run = ledger.read(message.runId()).orElseThrow(() -> new LedgerException.Missing(message.runId(), RunLedger.objectName(message.runId())))
                .record();
        LandingNames names = LandingNames.forRun(run, components.pipeline().landingPrefix());
        LandingCleanup cleanup = components.landingCleanup();
        // A run that fails for good leaves nothing under its folder: no object, no open upload.
        delivery.onFailure(() -> cleanup.removeAll(names.folder()));
        FileTransfer transfer = components.fileTransfer();
        // Anything a dead invocation left half-written under this run's folder goes first.
        cleanup.abortOpenUploads(names.folder());
        Budget budget = Budget.until(deadline, components.pipeline().deadlineMargin(), components.clock());
        List<OutputFile> files = components.fusion().outputFiles(new JobRequestId(message.jobRequestId()),
                () -> budget.fits(Duration.ZERO));
        long bytes = 0;
        Duration spent = Duration.ZERO;
        int landedNow = 0;
        for (OutputFile file : files) {
            if (run.files().containsKey(file.name())) {
                continue;
            }
            if (landedNow > 0 && !budget.fits(estimate(file, bytes, spent))) {
                return continueLater(message, file, landedNow, runLog);
            }
            Instant start = components.clock().instant();
            RunRecord.LandedFile landed = landWithRetries(transfer, file, names, runLog);
            overlapCheck(run, landed);
            run = ledger.update(message.runId(), r -> r.withLandedFile(landed, components.clock().instant())).record();
            bytes += Math.max(0, file.size());
            spent = spent.plus(Duration.between(start, components.clock().instant()));
            landedNow++;
        }
        return land(message, names, files, run, delivery, runLog);
    }

    /** How long landing {@code file} should take, from the throughput of this invocation so far (a first guess before any). */
    static Duration estimate(OutputFile file, long bytesSoFar, Duration spentSoFar) {
        double rate = spentSoFar.isZero() ? FIRST_ESTIMATE_BYTES_PER_SECOND : bytesSoFar / (spentSoFar.toMillis() / 1000.0);
        return Duration.ofMillis((long) (Math.max(0, file.size()) / rate * 1000));
    }

    RunRecord.LandedFile landWithRetries(FileTransfer transfer, OutputFile file, LandingNames names, JsonLog runLog) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transfer.land(file, names);
            } catch (TransientException e) {
                if (attempt >= ATTEMPTS_PER_FILE) {
                    throw new PermanentException("Output file " + file.safeName() + " could not be landed in " + ATTEMPTS_PER_FILE
                            + " attempts: " + e.getMessage() + " Nothing of the run stays landed; run the extract again once the "
                            + "cause is fixed.", e);
                }
                runLog.warn("file failed, trying again", "file", file.safeName(), "attempt", attempt, "error", e.getMessage());
            }
        }
    }

    /** Two output files may not land as the same object: the second would silently replace the first. */
    static void overlapCheck(RunRecord run, RunRecord.LandedFile landed) {
        Map<String, String> owners = new HashMap<>();
        run.files().values().forEach(f -> f.objects().forEach(o -> owners.put(o.name(), f.source())));
        for (RunRecord.LandedObject object : landed.objects()) {
            String owner = owners.get(object.name());
            if (owner != null && !owner.equals(landed.source())) {
                throw new PermanentException("Output files " + owner + " and " + landed.source() + " both land as " + object.name()
                        + ": rename the entries in the extract definition so that each lands once, or report it to Oracle.");
            }
        }
    }

    private Reply continueLater(StageMessage.Transfer message, OutputFile next, int landedNow, JsonLog runLog) {
        if (message.attempt() >= StageMessage.MAX_ATTEMPT) {
            throw new PermanentException("The transfer of run " + message.runId() + " was continued " + message.attempt()
                    + " times, the most one run may take; raise the function's timeout so that more files fit in one invocation.");
        }
        runLog.info("budget spent, continuing in a new invocation", "landed", landedNow, "next", next.safeName());
        components.publish(components.pipeline().requireTransferTopic(),
                new StageMessage.Transfer(message.runId(), message.jobRequestId(), message.attempt() + 1, next.safeName()));
        components.ledger().update(message.runId(), r -> r.finish(Stage.TRANSFER, message.attempt(), components.clock().instant()));
        ObjectNode reply = body(message, RunState.TRANSFERRING);
        reply.put("landed", landedNow);
        reply.put("next", message.attempt() + 1);
        return Reply.done(reply);
    }

    /** Writes the manifest last, then the run is LANDED. */
    Reply land(StageMessage.Transfer message, LandingNames names, List<OutputFile> files, RunRecord run, StageRunner.Delivery delivery,
                       JsonLog runLog) {
        byte[] manifest = manifest(run, names, files);
        components.writer().write(components.pipeline().landingBucket().orElseThrow(), names.manifest(), new ByteArrayInputStream(manifest),
                "application/json", Map.of());
        long objects = run.landedObjects();
        String reason = files.isEmpty() ? "the job produced no output files; an empty manifest was written"
                : objects + " objects from " + files.size() + " files, manifest " + names.manifest();
        components.ledger().update(message.runId(), r -> r.moveTo(RunState.LANDED, reason, components.clock().instant())
                .finish(Stage.TRANSFER, message.attempt(), components.clock().instant()));
        runLog.info("run landed", "objects", objects, "manifest", names.manifest());
        runner.publishStatus(delivery, RunState.LANDED, reason);
        ObjectNode reply = body(message, RunState.LANDED);
        reply.put("manifest", names.manifest());
        reply.put("objects", objects);
        return Reply.done(reply);
    }

    private byte[] manifest(RunRecord run, LandingNames names, List<OutputFile> files) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("runId", run.runId());
        root.put("jobRequestId", run.jobRequestId());
        root.put("extractName", run.request().path("extractName").asText());
        root.put("mode", run.request().path("mode").asText());
        root.put("folder", names.folder());
        root.put("landedAt", components.clock().instant().toString());
        if (files.isEmpty()) {
            root.put("note", "The job produced no output files.");
        }
        ArrayNode sources = root.putArray("files");
        ArrayNode objects = root.putArray("objects");
        long totalBytes = 0;
        for (OutputFile file : files) {
            RunRecord.LandedFile landed = run.files().get(file.name());
            ObjectNode source = sources.addObject().put("name", file.name()).put("size", file.size())
                    .put("sha256", file.sha256Hex().orElse(null)).put("objects", landed.objects().size());
            if (landed.objects().isEmpty()) {
                source.put("note", "The file is a complete ZIP with no entries (or only folders).");
            }
            for (RunRecord.LandedObject o : landed.objects()) {
                ObjectNode node = objects.addObject();
                node.put("name", o.name());
                node.put("size", o.size());
                node.put("md5", o.md5());
                node.put("storageMd5", o.storageMd5());
                node.put("sourceFile", file.name());
                node.put("entry", o.entry());
                node.put("crc32", o.crc32());
                if (o.rows() != null) {
                    node.put("rows", o.rows());
                }
                totalBytes += o.size();
            }
        }
        root.put("totalObjects", objects.size());
        root.put("totalBytes", totalBytes);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode body(StageMessage.Transfer message, RunState state) {
        ObjectNode reply = Reply.object();
        reply.put("runId", message.runId());
        reply.put("jobRequestId", message.jobRequestId());
        reply.put("attempt", message.attempt());
        reply.put("state", state.name());
        return reply;
    }
}
