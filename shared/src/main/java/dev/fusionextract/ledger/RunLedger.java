package dev.fusionextract.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import dev.fusionextract.failure.ExtractException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.retry.Sleeper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

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

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
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
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new PermanentException("A run id must be 1 to 128 letters, digits, '.', '_' or '-'.");
        }
        return "runs/" + runId + ".json";
    }

    public Clock clock() {
        return clock;
    }

    public Creation create(RunRecord record) {
        String name = objectName(record.runId());
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
            try (InputStream body = response.getInputStream()) {
                return Optional.of(new Versioned(json.readValue(body, RunRecord.class), response.getETag()));
            }
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure("Reading " + name, e);
        } catch (IOException e) {
            throw new PermanentException("Ledger record " + name + " is not valid JSON: " + e.getMessage(), e);
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
            Versioned current = read(runId).orElseThrow(() -> new PermanentException("Run " + runId + " is not in the ledger ("
                    + bucket + "/" + name + ")."));
            RunRecord changed = change.apply(current.record());
            if (changed.equals(current.record())) {
                return current;
            }
            try {
                return new Versioned(changed, put(name, changed, current.etag(), false));
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

    private String put(String name, RunRecord record, String ifMatch, boolean mustBeNew) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("a run record could not be written as JSON", e);
        }
        return calls.call("Writing " + name, () -> client.putObject(PutObjectRequest.builder()
                .namespaceName(namespace).bucketName(bucket).objectName(name)
                .contentType("application/json").contentLength((long) bytes.length)
                .ifNoneMatch(mustBeNew ? "*" : null).ifMatch(mustBeNew ? null : ifMatch)
                .putObjectBody(new ByteArrayInputStream(bytes))
                .build())).getETag();
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
