package dev.fusionextract.transfer.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.MultipartUpload;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.AbortMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.ListMultipartUploadsRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.responses.ListObjectsResponse;
import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.fusion.OutputFile;
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
import dev.fusionextract.transfer.FileTransfer;
import dev.fusionextract.transfer.LandingNames;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    private final JsonLog log;

    public TransferService(Components components) {
        this.components = components;
        this.log = components.log().with("stage", "TRANSFER");
    }

    public Reply handle(byte[] body, Instant deadline) {
        StageMessage.Transfer message;
        try {
            message = StageMessages.parse(new String(body, StandardCharsets.UTF_8), StageMessage.Transfer.class);
        } catch (InvalidRequestException e) {
            log.warn("malformed TRANSFER message dropped", "error", e.getMessage());
            ObjectNode reply = Reply.object();
            reply.put("error", e.getMessage());
            return Reply.done(reply);
        }
        JsonLog runLog = log.with("runId", message.runId()).with("jobId", message.jobRequestId()).with("attempt", message.attempt());
        try {
            return transfer(message, deadline, runLog);
        } catch (TransientException e) {
            components.ledger().release(message.runId(), Stage.TRANSFER, message.attempt());
            runLog.warn("transfer will be retried", "error", e.getMessage());
            return Reply.retry(e.getMessage());
        }
    }

    private Reply transfer(StageMessage.Transfer message, Instant deadline, JsonLog runLog) {
        RunLedger ledger = components.ledger();
        Optional<RunLedger.Versioned> found = ledger.read(message.runId());
        if (found.isEmpty()) {
            return Reply.dropped(message.runId(), "run " + message.runId() + " is not in the ledger", runLog);
        }
        RunRecord run = found.get().record();
        if (run.state() != RunState.TRANSFERRING || !message.jobRequestId().equals(run.jobRequestId())) {
            return Reply.dropped(message.runId(), "the run is " + run.state() + ", not waiting for a transfer of job " + message.jobRequestId(), runLog);
        }
        Optional<Reply> notClaimed = Reply.unlessClaimed(ledger.claim(message.runId(), Stage.TRANSFER, message.attempt(), deadline, true),
                message.runId(), Stage.TRANSFER, message.attempt(), runLog);
        if (notClaimed.isPresent()) {
            return notClaimed.get();
        }
        run = ledger.read(message.runId()).orElseThrow().record();
        LandingNames names = names(run);
        FileTransfer transfer = components.fileTransfer();
        // Anything a dead invocation left half-written under this run's folder goes first.
        abortOpenUploads(names);
        Budget budget = Budget.until(deadline, components.pipeline().deadlineMargin(), components.clock());
        List<OutputFile> files = components.fusion().outputFiles(new JobRequestId(message.jobRequestId()));
        long bytes = 0;
        Duration spent = Duration.ZERO;
        int landedNow = 0;
        for (OutputFile file : files) {
            if (run.files().containsKey(file.name())) {
                continue;
            }
            double rate = spent.isZero() ? FIRST_ESTIMATE_BYTES_PER_SECOND : bytes / (spent.toMillis() / 1000.0);
            Duration estimate = Duration.ofMillis((long) (Math.max(0, file.size()) / rate * 1000));
            if (landedNow > 0 && !budget.fits(estimate)) {
                return continueLater(message, file, landedNow, runLog);
            }
            Instant start = components.clock().instant();
            RunRecord.LandedFile landed;
            try {
                landed = landWithRetries(transfer, file, names, runLog);
                overlapCheck(run, landed);
            } catch (PermanentException e) {
                return fail(message, names, transfer, e.getMessage(), runLog);
            }
            run = ledger.update(message.runId(), r -> r.withLandedFile(landed, components.clock().instant())).record();
            bytes += Math.max(0, file.size());
            spent = spent.plus(Duration.between(start, components.clock().instant()));
            landedNow++;
        }
        return land(message, names, files, run, runLog);
    }

    private RunRecord.LandedFile landWithRetries(FileTransfer transfer, OutputFile file, LandingNames names, JsonLog runLog) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transfer.land(file, names);
            } catch (TransientException e) {
                if (attempt >= ATTEMPTS_PER_FILE) {
                    throw new PermanentException("Output file " + file.safeName() + " could not be landed in " + ATTEMPTS_PER_FILE
                            + " attempts: " + e.getMessage(), e);
                }
                runLog.warn("file failed, trying again", "file", file.safeName(), "attempt", attempt, "error", e.getMessage());
            }
        }
    }

    /** Two output files may not land as the same object: the second would silently replace the first. */
    private static void overlapCheck(RunRecord run, RunRecord.LandedFile landed) {
        Map<String, String> owners = new HashMap<>();
        run.files().values().forEach(f -> f.objects().forEach(o -> owners.put(o.name(), f.source())));
        for (RunRecord.LandedObject object : landed.objects()) {
            String owner = owners.get(object.name());
            if (owner != null && !owner.equals(landed.source())) {
                throw new PermanentException("Output files " + owner + " and " + landed.source() + " both land as " + object.name() + ".");
            }
        }
    }

    private Reply continueLater(StageMessage.Transfer message, OutputFile next, int landedNow, JsonLog runLog) {
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
    private Reply land(StageMessage.Transfer message, LandingNames names, List<OutputFile> files, RunRecord run, JsonLog runLog) {
        byte[] manifest = manifest(run, names, files);
        components.writer().write(components.pipeline().landingBucket().orElseThrow(), names.manifest(), new ByteArrayInputStream(manifest),
                "application/json", Map.of());
        long objects = run.files().values().stream().mapToLong(f -> f.objects().size()).sum();
        String reason = files.isEmpty() ? "the job produced no output files; an empty manifest was written"
                : objects + " objects from " + files.size() + " files, manifest " + names.manifest();
        components.ledger().update(message.runId(), r -> r.moveTo(RunState.LANDED, reason, components.clock().instant())
                .finish(Stage.TRANSFER, message.attempt(), components.clock().instant()));
        runLog.info("run landed", "objects", objects, "manifest", names.manifest());
        try {
            components.publishStatus(new StageMessage.Status(message.runId(), RunState.LANDED, reason));
        } catch (RuntimeException e) {
            runLog.warn("status message not published", "error", e.getMessage());
        }
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
            sources.addObject().put("name", file.name()).put("size", file.size()).put("sha256", file.sha256Hex().orElse(null))
                    .put("objects", landed.objects().size());
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

    /** A file that cannot land fails the run, and nothing of the run stays under its folder. */
    private Reply fail(StageMessage.Transfer message, LandingNames names, FileTransfer transfer, String reason, JsonLog runLog) {
        abortOpenUploads(names);
        for (String object : objectsUnder(names.folder())) {
            transfer.deleteObject(object);
        }
        components.ledger().update(message.runId(), r -> r.moveTo(RunState.FAILED, reason, components.clock().instant())
                .finish(Stage.TRANSFER, message.attempt(), components.clock().instant()));
        runLog.error("transfer failed", null, "reason", reason);
        try {
            components.publishStatus(new StageMessage.Status(message.runId(), RunState.FAILED, reason));
        } catch (RuntimeException e) {
            runLog.warn("status message not published", "error", e.getMessage());
        }
        ObjectNode reply = body(message, RunState.FAILED);
        reply.put("reason", reason);
        return Reply.done(reply);
    }

    private LandingNames names(RunRecord run) {
        JsonNode request = run.request();
        Instant submitted = run.reachedAt(RunState.SUBMITTED).orElse(run.created());
        return LandingNames.of(request.path("landingPrefix").asText(components.pipeline().landingPrefix().isEmpty() ? "fusion"
                : components.pipeline().landingPrefix()), request.path("extractName").asText("extract"),
                submitted.atZone(ZoneOffset.UTC).toLocalDate(), run.jobRequestId());
    }

    private void abortOpenUploads(LandingNames names) {
        ObjectStorage os = components.oci().objectStorage();
        String bucket = components.pipeline().landingBucket().orElseThrow();
        List<MultipartUpload> open = components.calls().call("Listing open uploads in " + bucket, () -> os.listMultipartUploads(
                ListMultipartUploadsRequest.builder().namespaceName(components.oci().namespace()).bucketName(bucket).limit(1000).build())).getItems();
        for (MultipartUpload upload : open) {
            if (upload.getObject().startsWith(names.folder())) {
                components.calls().call("Aborting an upload left open", () -> os.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                        .namespaceName(components.oci().namespace()).bucketName(bucket).objectName(upload.getObject())
                        .uploadId(upload.getUploadId()).build()));
            }
        }
    }

    private List<String> objectsUnder(String folder) {
        ObjectStorage os = components.oci().objectStorage();
        String bucket = components.pipeline().landingBucket().orElseThrow();
        List<String> names = new java.util.ArrayList<>();
        String start = null;
        do {
            String from = start;
            ListObjectsResponse page = components.calls().call("Listing " + bucket + "/" + folder, () -> os.listObjects(ListObjectsRequest.builder()
                    .namespaceName(components.oci().namespace()).bucketName(bucket).prefix(folder).start(from).limit(1000).build()));
            page.getListObjects().getObjects().stream().map(ObjectSummary::getName).forEach(names::add);
            start = page.getListObjects().getNextStartWith();
        } while (start != null);
        return names;
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
