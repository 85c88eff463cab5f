package dev.fusionextract.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import dev.fusionextract.dataintegration.DataIntegrationJobs;
import dev.fusionextract.events.ObjectEvent;
import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.ledger.RunId;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.JobSystem;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.ExtractRequest;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.pipeline.StageRunner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts runs. Tells three inputs apart: the OCI Events envelope of a request object created in the control
 * bucket; a request sent directly ({@code fn invoke}, a scheduler); and the Events envelope of a landed
 * {@code _manifest.json}, which starts the configured Data Integration task. Any other event is acknowledged
 * and ignored.
 *
 * <p>A run's id comes from its trigger, and the ledger record is created before anything else, so a repeated
 * trigger finds its run. The submission itself is claimed in the ledger until this invocation's deadline: a
 * second delivery meanwhile is dropped, and one arriving after an invocation died mid-submission fails the
 * run rather than risk a second Fusion job.
 */
public final class SubmitService {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MANIFEST_NAME = "_manifest.json";

    private final Components components;
    private final StageRunner runner;
    private final JsonLog log;

    public SubmitService(Components components) {
        this.components = components;
        this.runner = new StageRunner(components);
        this.log = components.log().with("stage", "SUBMIT");
    }

    public Reply handle(byte[] body, Instant deadline) {
        return runner.run(Stage.SUBMIT, delivery -> route(body, deadline, delivery));
    }

    private Reply route(byte[] body, Instant deadline, StageRunner.Delivery delivery) {
        JsonNode json = readJson(body);
        if (Sweep.isSweep(json)) {
            return new Sweep(components, this, Sweep.GRACE).run(deadline);
        }
        if (!ObjectEvent.isEnvelope(json)) {
            // A schedule's occurrence: every invocation within the run id template's unit is this one run.
            String runId = ExtractRequest.runIdFor(json, components.clock().instant()).orElseGet(() -> "run-" + UUID.randomUUID());
            return submit(runId, body, deadline, "direct request", delivery);
        }
        Optional<ObjectEvent> event = ObjectEvent.from(json);
        if (event.isEmpty() || !event.get().isCreateOrUpdate()) {
            return ignored("not an Object Storage createobject or updateobject event: " + json.path("eventType").asText("?"));
        }
        ObjectEvent e = event.get();
        String control = components.config().oci().controlBucket();
        String prefix = components.pipeline().requestPrefix();
        if (e.bucket().equals(control) && isRequestObject(e.objectName())) {
            return submit(runId(e), null, deadline, e.bucket() + "/" + e.objectName(), delivery);
        }
        Optional<String> landing = components.pipeline().landingBucket();
        if (landing.isPresent() && e.bucket().equals(landing.get())
                && (e.objectName().equals(MANIFEST_NAME) || e.objectName().endsWith("/" + MANIFEST_NAME))) {
            return startLoad(e, delivery);
        }
        return ignored("object " + e.bucket() + "/" + e.objectName() + " is neither a request (" + control + "/" + prefix
                + "...) nor a landed manifest");
    }

    /** Whether an object of the control bucket is a request: under REQUEST_PREFIX, not a folder marker. */
    boolean isRequestObject(String objectName) {
        return objectName.startsWith(components.pipeline().requestPrefix()) && !objectName.endsWith("/");
    }

    /** Starts (or finds) the run of a request object whose event never came; the sweep's way in. */
    Reply submitRequestObject(String objectName, String etag, Instant deadline) {
        ObjectEvent event = new ObjectEvent(ObjectEvent.CREATE_OBJECT, "", "", components.config().oci().controlBucket(), objectName, etag);
        return runner.run(Stage.SUBMIT, delivery -> submit(runId(event), null, deadline, event.bucket() + "/" + objectName, delivery));
    }

    /** Submits a run that was recorded (REQUESTED) but whose submission never happened; the sweep's way in. */
    Reply resubmit(RunRecord run, Instant deadline) {
        return runner.run(Stage.SUBMIT, delivery -> {
            byte[] request;
            try {
                request = JSON.writeValueAsBytes(run.request());
            } catch (IOException e) {
                throw new PermanentException("The recorded request of run " + run.runId() + " cannot be read back: " + e.getMessage());
            }
            return submit(run.runId(), request, deadline, "sweep", delivery);
        });
    }

    /** bucket + object + etag: the same object version always maps to the same run. */
    static String runId(ObjectEvent event) {
        return runId(event.bucket(), event.objectName(), event.etag());
    }

    static String runId(String bucket, String objectName, String etag) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((bucket + "/" + objectName + "#" + etag)
                    .getBytes(StandardCharsets.UTF_8));
            return "evt-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private Reply submit(String runId, byte[] directBody, Instant deadline, String source, StageRunner.Delivery delivery) {
        JsonLog runLog = delivery.about(runId, Stage.SUBMIT, 1);
        RunLedger ledger = components.ledger();
        Instant now = components.clock().instant();
        ExtractRequest request = null;
        InvalidRequestException invalid = null;
        try {
            byte[] bytes = directBody != null ? directBody : readRequestObject(source);
            request = ExtractRequest.parse(bytes);
        } catch (InvalidRequestException e) {
            invalid = e;
        }
        JsonNode recorded = request == null ? null : effective(request);
        RunLedger.Creation creation = ledger.create(RunRecord.requested(runId, recorded, now));
        RunRecord run = creation.run().record();
        if (creation instanceof RunLedger.AlreadyExists && run.state() != RunState.REQUESTED) {
            return duplicate(run, delivery, runLog);
        }
        if (invalid != null) {
            String reason = invalid.getMessage() + " Fix the request and send it again.";
            RunRecord rejected = ledger.update(runId, r -> r.moveTo(RunState.REJECTED, reason, components.clock().instant())).record();
            runLog.warn("request rejected", "source", source, "reason", rejected.reason());
            runner.publishStatus(delivery, RunState.REJECTED, rejected.reason());
            return done(rejected);
        }
        FusionBatchClient fusion = components.fusion();
        // Never taken over: an invocation that died mid-submission may have created a Fusion job.
        RunRecord.Decision decision = delivery.claim(deadline, false);
        switch (decision) {
            case BUSY -> {
                return Reply.busy(runId, Stage.SUBMIT, 1, runLog);
            }
            case DONE, STALE -> {
                runLog.info("duplicate delivery dropped", "decision", decision);
                ObjectNode body = body(ledger.read(runId).orElseThrow().record());
                body.put("duplicate", true);
                return Reply.done(body);
            }
            case TAKE_OVER -> {
                return runner.failRun(delivery, "An earlier invocation died while submitting, so Fusion may or may not have a job for "
                        + "this run. Look in Fusion's Scheduled Processes for a job described " + runId + "::...; submit again with a "
                        + "new request only if there is none.");
            }
            case CLAIM -> {
                // go on
            }
        }
        // A transient failure means Fusion did not take the job: the runner gives the claim back for the redelivery.
        JobRequestId jobId = fusion.submit(request.job(runId));
        if (request.recurrence().isPresent()) {
            // A series: Fusion runs the job on its schedule; the sweep lands each occurrence (SeriesKeeper), no poller waits.
            Instant at = components.clock().instant();
            RunRecord series = ledger.update(runId, r -> r.moveTo(RunState.SUBMITTED, "Fusion job " + jobId, at)
                    .withJobRequestId(jobId.value(), at)
                    .moveTo(RunState.RECURRING, "a series: Fusion runs job " + jobId + " on its schedule; each occurrence that finishes "
                            + "is landed as a run of its own", at)
                    .withSeries(new RunRecord.Series(null, List.of()), at)
                    .finish(Stage.SUBMIT, 1, at)).record();
            runLog.info("recurring run submitted", "jobId", jobId.value(), "source", source, "extract", request.extractName());
            components.metrics().started(series);
            return done(series);
        }
        // SUBMITTED while the claim is still held; the claim is done only once POLL is sent (see sendPoll).
        RunRecord submitted = ledger.update(runId, r -> r.moveTo(RunState.SUBMITTED, "Fusion job " + jobId, components.clock().instant())
                .withJobRequestId(jobId.value(), components.clock().instant())).record();
        runLog.info("run submitted", "jobId", jobId.value(), "source", source, "extract", request.extractName());
        components.metrics().started(submitted);
        return sendPoll(submitted);
    }

    /**
     * Publishes POLL, then marks the submission done. If the publish fails, the claim is given back and the
     * redelivered trigger finds the run SUBMITTED with the submission not done: it sends POLL then. A mere
     * duplicate finds the submission done (or held) and sends nothing.
     */
    private Reply sendPoll(RunRecord run) {
        components.publish(components.pipeline().requirePollTopic(), new StageMessage.Poll(run.runId(), JobSystem.FUSION,
                run.jobRequestId(), 1));
        return done(components.ledger().update(run.runId(), r -> r.finish(Stage.SUBMIT, 1, components.clock().instant())).record());
    }

    /** The request as recorded: with the landing prefix it will use, so that later stages need no configuration for it. */
    private JsonNode effective(ExtractRequest request) {
        ObjectNode node = (ObjectNode) request.toJson();
        node.put("landingPrefix", request.landingPrefix().orElse(components.pipeline().landingPrefix()));
        return node;
    }

    /** A trigger seen before. If the run was submitted but POLL could not be sent then, it is sent now. */
    private Reply duplicate(RunRecord run, StageRunner.Delivery delivery, JsonLog runLog) {
        RunRecord.Decision decision = run.decide(Stage.SUBMIT, 1, components.clock().instant());
        if (run.state() == RunState.SUBMITTED && run.jobRequestId() != null
                && (decision == RunRecord.Decision.CLAIM || decision == RunRecord.Decision.TAKE_OVER)) {
            runLog.info("sending the POLL message an earlier delivery could not send");
            delivery.claim(components.clock().instant().plus(java.time.Duration.ofMinutes(5)), true);
            Reply sent = sendPoll(components.ledger().read(run.runId()).orElseThrow().record());
            sent.body().put("duplicate", true);
            return sent;
        }
        runLog.info("repeated trigger, nothing submitted", "state", run.state());
        ObjectNode body = body(run);
        body.put("duplicate", true);
        return Reply.done(body);
    }

    private byte[] readRequestObject(String source) {
        String object = source.substring(source.indexOf('/') + 1);
        String bucket = components.config().oci().controlBucket();
        try {
            // No Range header: a ranged read of an empty object is answered 416. One byte more than allowed tells "too long".
            GetObjectResponse response = components.calls().call("Reading request " + source, () -> components.oci().objectStorage()
                    .getObject(GetObjectRequest.builder().namespaceName(components.oci().namespace()).bucketName(bucket).objectName(object)
                            .build()));
            try (InputStream in = response.getInputStream()) {
                return in.readNBytes(ExtractRequest.MAX_BYTES + 1);
            }
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                throw new InvalidRequestException("The request object " + source, java.util.List.of("it was deleted before it could be read"));
            }
            throw new PermanentException("Reading request " + source + " failed (HTTP " + e.getStatusCode() + ", " + e.getServiceCode()
                    + "): check that the function's policy may read objects in " + bucket + ".", e);
        } catch (IOException e) {
            throw new TransientException("Reading request " + source + " failed: " + e.getMessage(), e);
        }
    }

    /** A landed manifest: start the Data Integration task for its run, once. */
    private Reply startLoad(ObjectEvent event, StageRunner.Delivery delivery) {
        Optional<DataIntegrationJobs> jobs = components.dataIntegration();
        if (jobs.isEmpty()) {
            return ignored("a manifest landed but no Data Integration task is configured");
        }
        String runId = manifestRunId(event);
        // Attempt 0 of LOAD: starting the task run; poll-function's attempts follow it from 1.
        JsonLog runLog = delivery.about(runId, Stage.LOAD, 0);
        Optional<RunLedger.Versioned> found = components.ledger().read(runId);
        if (found.isEmpty()) {
            return ignored("manifest " + event.objectName() + " names run " + runId + ", which is not in the ledger");
        }
        RunRecord run = found.get().record();
        if (run.state() != RunState.LANDED) {
            runLog.info("manifest event for a run not waiting to load, ignored", "state", run.state());
            return done(run);
        }
        String folder = event.objectName().substring(0, event.objectName().length() - MANIFEST_NAME.length());
        // The run id is the task run's retry token: starting twice finds the same task run.
        String taskRunKey = jobs.get().start(runId, folder, event.objectName());
        RunRecord loading = components.ledger().update(runId, r -> r.state() == RunState.LANDED
                ? r.moveTo(RunState.LOADING, "Data Integration task run " + taskRunKey, components.clock().instant())
                .withTaskRunKey(taskRunKey, components.clock().instant()) : r).record();
        runLog.info("load started", "taskRunKey", taskRunKey);
        components.publish(components.pipeline().requirePollTopic(), new StageMessage.Poll(runId, JobSystem.DATA_INTEGRATION, taskRunKey, 1));
        return done(loading);
    }

    private String manifestRunId(ObjectEvent event) {
        String landing = components.pipeline().landingBucket().orElseThrow();
        try {
            GetObjectResponse response = components.calls().call("Reading manifest " + event.objectName(), () -> components.oci().objectStorage()
                    .getObject(GetObjectRequest.builder().namespaceName(components.oci().namespace()).bucketName(landing)
                            .objectName(event.objectName()).build()));
            try (InputStream in = response.getInputStream()) {
                String runId = JSON.readTree(in).path("runId").asText("");
                if (!RunId.valid(runId)) {
                    throw new PermanentException("Manifest " + landing + "/" + event.objectName() + " names no valid runId; only manifests "
                            + "written by transfer-function start Data Integration.");
                }
                return runId;
            }
        } catch (BmcException e) {
            throw new PermanentException("Reading manifest " + landing + "/" + event.objectName() + " failed (HTTP " + e.getStatusCode() + ")", e);
        } catch (IOException e) {
            throw new PermanentException("Manifest " + landing + "/" + event.objectName() + " is not JSON.", e);
        }
    }

    private Reply ignored(String why) {
        log.info("event ignored", "reason", why);
        ObjectNode body = Reply.object();
        body.put("ignored", why);
        return Reply.done(body);
    }

    private static Reply done(RunRecord run) {
        return Reply.done(body(run));
    }

    static ObjectNode body(RunRecord run) {
        ObjectNode body = Reply.object();
        body.put("runId", run.runId());
        if (run.jobRequestId() != null) {
            body.put("jobRequestId", run.jobRequestId());
        }
        body.put("state", run.state().name());
        if (run.reason() != null && run.state() != RunState.SUBMITTED) {
            body.put("reason", run.reason());
        }
        return body;
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
