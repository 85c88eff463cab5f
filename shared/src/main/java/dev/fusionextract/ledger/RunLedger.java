package dev.fusionextract.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.objectstorage.responses.HeadObjectResponse;
import dev.fusionextract.failure.ExtractException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.objectstore.ObjectListing;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.retry.Sleeper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * The run ledger: one JSON object per run, {@code runs/<runId>.json} in the control bucket, the single source of
 * truth of every run. Created with {@code if-none-match: *}, so a repeated trigger finds the run instead of
 * starting another; changed by read-modify-write with {@code if-match} on the ETag, so of two concurrent
 * changes one wins and the other is re-applied to the winner's result. Deliveries are at least once
 * everywhere; this is what makes handling them twice harmless.
 */
public final class RunLedger {

    /** A record and the ETag it was read with. */
    public record Versioned(RunRecord record, String etag) {
    }

    /** What {@link #create} found. */
    public sealed interface Creation permits Created, AlreadyExists {
        Versioned run();
    }

    public record Created(Versioned run) implements Creation {
    }

    /** The run existed already (a repeated trigger): nothing was written. */
    public record AlreadyExists(Versioned run) implements Creation {
    }

    /** Marker objects, one per run that has not ended, so that a sweep lists only those: active/<runId>. */
    public static final String ACTIVE_PREFIX = "active/";
    private static final int MAX_CONFLICTS = 50;

    private final ObjectStorage client;
    private final OciCalls calls;
    private final String namespace;
    private final String bucket;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final JsonLog log;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public RunLedger(ObjectStorage client, OciCalls calls, String namespace, String bucket, Clock clock, Sleeper sleeper,
                     DoubleSupplier random, JsonLog log) {
        this.client = client;
        this.calls = calls;
        this.namespace = namespace;
        this.bucket = bucket;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.log = log;
    }

    public static String objectName(String runId) {
        if (!RunId.valid(runId)) {
            throw new PermanentException("A run id must be " + RunId.RULE + ".");
        }
        return "runs/" + runId + ".json";
    }

    public Clock clock() {
        return clock;
    }

    public Creation create(RunRecord record) {
        String name = objectName(record.runId());
        if (!record.state().terminal()) {
            // The marker first: a run is never without one while it can still move (a stray marker is swept away).
            mark(record.runId(), true);
        }
        try {
            String etag = put(name, record, null, true);
            return new Created(new Versioned(record, etag));
        } catch (BmcException e) {
            if (e.getStatusCode() == 412 || e.getStatusCode() == 409) {
                return new AlreadyExists(read(record.runId()).orElseThrow(() -> new TransientException(
                        "Run " + record.runId() + " exists in the ledger but could not be read back; try again.", e)));
            }
            throw failure("Creating " + name, e);
        }
    }

    public Optional<Versioned> read(String runId) {
        String name = objectName(runId);
        try {
            GetObjectResponse response = calls.call("Reading " + name, () -> client.getObject(GetObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(name).build()));
            byte[] bytes;
            try (InputStream body = response.getInputStream()) {
                bytes = body.readAllBytes();
            } catch (IOException e) {
                throw new TransientException("Reading " + name + " broke off: " + e.getMessage() + "; try again.", e);
            }
            try {
                RunRecord record = json.readValue(bytes, RunRecord.class);
                if (record == null || record.state() == null || !runId.equals(record.runId())) {
                    throw new IOException("it holds no run record for " + runId);
                }
                return Optional.of(new Versioned(record, response.getETag()));
            } catch (IOException | RuntimeException e) {
                throw new LedgerException.Corrupt(name, response.getETag(), e.getMessage());
            }
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure("Reading " + name, e);
        }
    }

    /**
     * Writes {@code record} over a record that could not be read (see {@link LedgerException.Corrupt}), only if
     * that object is still the one read; the unreadable bytes are kept beside it as {@code runs/<runId>.json.corrupt}.
     */
    public Versioned replaceCorrupt(LedgerException.Corrupt corrupt, RunRecord record) {
        String name = objectName(record.runId());
        try {
            GetObjectResponse old = calls.call("Reading " + name, () -> client.getObject(GetObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(name).build()));
            byte[] bytes;
            try (InputStream body = old.getInputStream()) {
                bytes = body.readNBytes(1 << 20);
            }
            calls.call("Keeping " + name + ".corrupt", () -> client.putObject(PutObjectRequest.builder().namespaceName(namespace)
                    .bucketName(bucket).objectName(name + ".corrupt").contentLength((long) bytes.length)
                    .putObjectBody(new ByteArrayInputStream(bytes)).build()));
        } catch (BmcException | IOException | ExtractException e) {
            log.warn("the unreadable ledger record could not be kept aside", "runId", record.runId(), "error", e.getMessage());
        }
        try {
            Versioned written = new Versioned(record, put(name, record, corrupt.etag(), false));
            mark(record.runId(), !record.state().terminal());
            return written;
        } catch (BmcException e) {
            throw failure("Replacing " + name, e);
        }
    }

    /**
     * Applies {@code change} to the current record and writes it only if nobody wrote in between; otherwise reads
     * again and re-applies, a bounded number of times. {@code change} may throw to refuse (an illegal transition,
     * a stale attempt); returning the same record writes nothing.
     */
    public Versioned update(String runId, UnaryOperator<RunRecord> change) {
        String name = objectName(runId);
        for (int conflict = 0; ; conflict++) {
            Versioned current = read(runId).orElseThrow(() -> new LedgerException.Missing(runId, bucket + "/" + name));
            RunRecord changed = change.apply(current.record());
            if (changed.equals(current.record())) {
                return current;
            }
            try {
                Versioned written = new Versioned(changed, put(name, changed, current.etag(), false));
                if (changed.state().terminal() != current.record().state().terminal()) {
                    mark(runId, !changed.state().terminal());
                }
                return written;
            } catch (BmcException e) {
                if (e.getStatusCode() != 412 && e.getStatusCode() != 409) {
                    throw failure("Updating " + name, e);
                }
                if (conflict + 1 >= MAX_CONFLICTS) {
                    throw new TransientException("Run " + runId + " kept changing while being updated (" + MAX_CONFLICTS
                            + " conflicts); try again.", e);
                }
                log.debug("ledger write conflict, re-reading", "runId", runId, "conflict", conflict + 1);
                backoff(conflict);
            }
        }
    }

    /**
     * Claims {@code attempt} of {@code stage} until {@code leaseUntil} (the handling invocation's deadline), when
     * the ledger allows it: a newer or released attempt is claimed; one whose invocation died is taken over if
     * {@code takeOver} allows. Returns what was decided; nothing is written for BUSY, DONE or STALE.
     */
    public RunRecord.Decision claim(String runId, Stage stage, int attempt, Instant leaseUntil, boolean takeOver) {
        java.util.concurrent.atomic.AtomicReference<RunRecord.Decision> decision = new java.util.concurrent.atomic.AtomicReference<>();
        update(runId, r -> {
            decision.set(r.decide(stage, attempt, clock.instant()));
            boolean go = decision.get() == RunRecord.Decision.CLAIM || (takeOver && decision.get() == RunRecord.Decision.TAKE_OVER);
            return go ? r.claim(stage, attempt, leaseUntil, clock.instant()) : r;
        });
        return decision.get();
    }

    /** Gives {@code attempt} back after a failure that changed nothing; best effort (the lease ends anyway). */
    public void release(String runId, Stage stage, int attempt) {
        try {
            update(runId, r -> r.release(stage, attempt, clock.instant()));
        } catch (RuntimeException e) {
            log.warn("could not give an attempt back; its lease ends with the invocation", "runId", runId, "stage", stage);
        }
    }

    /** The ids of runs that have not ended (their markers), at most {@code max}, in name order from after {@code start}. */
    public List<String> activeRunIds(int max) {
        return ObjectListing.under(client, calls, namespace, bucket, ACTIVE_PREFIX, null, max).stream()
                .map(o -> o.getName().substring(ACTIVE_PREFIX.length())).filter(RunId::valid).toList();
    }

    /** How long ago a run's active marker was written, or empty when it has none. */
    public Optional<Duration> markerAge(String runId) {
        try {
            HeadObjectResponse head = calls.call("Looking at marker of run " + runId, () -> client.headObject(HeadObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(ACTIVE_PREFIX + runId).build()));
            return Optional.ofNullable(head.getLastModified()).map(d -> Duration.between(d.toInstant(), clock.instant()));
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure("Looking at marker of run " + runId, e);
        }
    }

    /** Sets or removes a run's active marker; best effort, a sweep mends a marker that is wrong. */
    public void mark(String runId, boolean active) {
        String marker = ACTIVE_PREFIX + runId;
        try {
            if (active) {
                calls.call("Marking run " + runId + " active", () -> client.putObject(PutObjectRequest.builder().namespaceName(namespace)
                        .bucketName(bucket).objectName(marker).contentLength(0L).putObjectBody(new ByteArrayInputStream(new byte[0])).build()));
            } else {
                calls.call("Unmarking run " + runId, () -> client.deleteObject(DeleteObjectRequest.builder().namespaceName(namespace)
                        .bucketName(bucket).objectName(marker).build()));
            }
        } catch (BmcException e) {
            if (e.getStatusCode() != 404) {
                log.warn("run marker not changed; a sweep will mend it", "runId", runId, "active", active, "status", e.getStatusCode());
            }
        } catch (ExtractException e) {
            log.warn("run marker not changed; a sweep will mend it", "runId", runId, "active", active, "error", e.getMessage());
        }
    }

    private String put(String name, RunRecord record, String ifMatch, boolean mustBeNew) {
        return dev.fusionextract.objectstore.JsonPut.put(client, calls, namespace, bucket, name, json, log.redactor(), record, ifMatch,
                mustBeNew);
    }

    private void backoff(int conflict) {
        long ceiling = Math.min(200, 5L << Math.min(conflict, 5));
        try {
            sleeper.sleep(Duration.ofMillis((long) (random.getAsDouble() * ceiling)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("Interrupted while updating the ledger", e);
        }
    }

    private ExtractException failure(String what, BmcException e) {
        return failure(what, bucket, e);
    }

    /** What a refused ledger call in CONTROL_BUCKET means: the bucket or its policy (404, other 4xx), or a passing trouble. */
    static ExtractException failure(String what, String bucket, BmcException e) {
        if (e.getStatusCode() == 404) {
            return new PermanentException(what + ": bucket " + bucket + " not found, or this principal may not use it. "
                    + "Check CONTROL_BUCKET and a policy allowing 'manage objects' in it.", e);
        }
        if (e.getStatusCode() > 0 && e.getStatusCode() < 500 && e.getStatusCode() != 429 && !e.isTimeout()) {
            return new PermanentException(what + " failed with HTTP " + e.getStatusCode() + " (" + e.getServiceCode() + ").", e);
        }
        return new TransientException(what + " failed (HTTP " + e.getStatusCode() + "); try again later.", e);
    }
}
