package dev.fusionextract.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.fusion.OutputFile;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.objectstore.ObjectListing;
import dev.fusionextract.oci.OciCalls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the transfer workers of one run share, beside the run record, under {@code work/<runId>/} in CONTROL_BUCKET:
 * the list of output files (written once), a claim per file and per worker, a result per landed file, the first
 * failure, and the join. Every decision between workers is a conditional write ({@code if-none-match: *} to be
 * first, {@code if-match} to take over an expired lease), so two workers never both win, and no worker writes the
 * run record while files land: they never contend on it.
 */
public final class WorkLedger {

    public static final String PREFIX = "work/";

    /** The output files of a run, as the lead listed them. */
    public record FileList(List<Listed> files) {
        public FileList {
            files = List.copyOf(files);
        }

        public List<OutputFile> outputFiles() {
            return files.stream().map(Listed::outputFile).toList();
        }
    }

    /** One listed output file, as it is stored (an {@link OutputFile}, the enclosure link as text). */
    public record Listed(String name, String safeName, long size, String sha256Hex, String timeCreated, String content) {
        static Listed of(OutputFile file) {
            return new Listed(file.name(), file.safeName(), file.size(), file.sha256Hex().orElse(null), file.timeCreated(),
                    file.content().toString());
        }

        OutputFile outputFile() {
            return new OutputFile(name, safeName, size, Optional.ofNullable(sha256Hex), timeCreated, URI.create(content));
        }
    }

    /** A hold on a file (or on the join): who holds it, until when, and whether its work is done. */
    public record Hold(String holder, Instant leaseUntil, boolean done) {
    }

    /** What a try to take a file (or the join) found. */
    public enum Take {
        /** Nobody had it: it is this worker's now. */
        TAKEN,
        /** Its holder's lease had run out: this worker has taken it over. */
        TAKEN_OVER,
        /** Another worker holds it and its lease has not run out. */
        HELD,
        /** Its work is done. */
        DONE
    }

    private final ObjectStorage client;
    private final OciCalls calls;
    private final String namespace;
    private final String bucket;
    private final Clock clock;
    private final JsonLog log;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public WorkLedger(ObjectStorage client, OciCalls calls, String namespace, String bucket, Clock clock, JsonLog log) {
        this.client = client;
        this.calls = calls;
        this.namespace = namespace;
        this.bucket = bucket;
        this.clock = clock;
        this.log = log;
    }

    static String folder(String runId) {
        RunLedger.objectName(runId); // the one run-id rule
        return PREFIX + runId + "/";
    }

    // ---- the file list

    /** Records the run's output files unless a list is there already; returns the list that is (the first one written). */
    public FileList recordFiles(String runId, List<OutputFile> files) {
        FileList list = new FileList(files.stream().map(Listed::of).toList());
        if (create(folder(runId) + "files.json", list).isEmpty()) {
            return files(runId).orElseThrow(() -> new TransientException("The file list of run " + runId + " exists but could not be read; "
                    + "try again.", null));
        }
        return list;
    }

    public Optional<FileList> files(String runId) {
        return read(folder(runId) + "files.json", FileList.class).map(Versioned::value);
    }

    // ---- claims on files, the join and workers

    /** Tries to take file {@code index} for {@code holder} until {@code leaseUntil}. */
    public Take takeFile(String runId, int index, String holder, Instant leaseUntil) {
        return take(folder(runId) + "claims/" + index + ".json", holder, leaseUntil);
    }

    /** Tries to take the join (the manifest and LANDED) for {@code holder} until {@code leaseUntil}. */
    public Take takeJoin(String runId, String holder, Instant leaseUntil) {
        return take(folder(runId) + "join.json", holder, leaseUntil);
    }

    /**
     * Tries to take attempt {@code attempt} of helper worker {@code worker}: a repeated delivery of an attempt that is
     * being worked on finds it HELD, one that was finished finds it DONE, and one whose invocation died takes it over.
     */
    public Take takeWorker(String runId, int worker, int attempt, String holder, Instant leaseUntil) {
        return take(folder(runId) + "workers/" + worker + "-" + attempt + ".json", holder, leaseUntil);
    }

    /** Marks attempt {@code attempt} of helper worker {@code worker} as done. */
    public void finishWorker(String runId, int worker, int attempt, String holder) {
        put(folder(runId) + "workers/" + worker + "-" + attempt + ".json", new Hold(holder, null, true));
    }

    /** Marks the join as done (the run is LANDED). */
    public void finishJoin(String runId, String holder) {
        put(folder(runId) + "join.json", new Hold(holder, null, true));
    }

    private Take take(String name, String holder, Instant leaseUntil) {
        Hold mine = new Hold(holder, leaseUntil, false);
        if (create(name, mine).isPresent()) {
            return Take.TAKEN;
        }
        Optional<Versioned<Hold>> current = read(name, Hold.class);
        if (current.isEmpty()) {
            return create(name, mine).isPresent() ? Take.TAKEN : Take.HELD;
        }
        Hold hold = current.get().value();
        if (hold.done()) {
            return Take.DONE;
        }
        if (hold.leaseUntil() != null && clock.instant().isBefore(hold.leaseUntil())) {
            return Take.HELD;
        }
        return replace(name, mine, current.get().etag()) ? Take.TAKEN_OVER : Take.HELD;
    }

    /**
     * Records file {@code index} as landed: its result first, in an object of its own, then its claim as done. A
     * worker whose lease ran out meanwhile and another that took over both land the same bytes under the same
     * names, so whichever result is written last is as good as the first.
     */
    public void landed(String runId, int index, RunRecord.LandedFile file, String holder) {
        put(folder(runId) + "landed/" + index + ".json", file);
        put(folder(runId) + "claims/" + index + ".json", new Hold(holder, null, true));
    }

    /** The landed files' results, by index, once every one of {@code count} files has one; empty while any has not. */
    public Optional<Map<Integer, RunRecord.LandedFile>> allLanded(String runId, int count) {
        List<ObjectSummary> listed = ObjectListing.under(client, calls, namespace, bucket, folder(runId) + "landed/", null, count + 1);
        if (listed.size() < count) {
            return Optional.empty();
        }
        Map<Integer, RunRecord.LandedFile> landed = new TreeMap<>();
        for (int index = 0; index < count; index++) {
            Optional<Versioned<RunRecord.LandedFile>> file = read(folder(runId) + "landed/" + index + ".json", RunRecord.LandedFile.class);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            landed.put(index, file.get().value());
        }
        return Optional.of(landed);
    }

    /** What one listing of a run's work objects shows: the files claimed, the files landed, whether a worker failed. */
    public record Snapshot(java.util.Set<Integer> claimed, java.util.Set<Integer> landed, boolean failed) {
    }

    /**
     * One listing of {@code work/<runId>/}: which files are claimed and which landed, and whether a worker failed the
     * run. A worker picks its next file from it, so it tries to take only files nobody has claimed (one conditional
     * write per file it lands, instead of one per file it passes).
     */
    public Snapshot snapshot(String runId, int count) {
        String folder = folder(runId);
        java.util.Set<Integer> claimed = new java.util.TreeSet<>();
        java.util.Set<Integer> landed = new java.util.TreeSet<>();
        boolean failed = false;
        for (ObjectSummary object : ObjectListing.under(client, calls, namespace, bucket, folder, null, 2 * count + 1000)) {
            String rest = object.getName().substring(folder.length());
            if (rest.equals("failed.json")) {
                failed = true;
            } else if (rest.startsWith("claims/")) {
                index(rest.substring("claims/".length())).ifPresent(claimed::add);
            } else if (rest.startsWith("landed/")) {
                index(rest.substring("landed/".length())).ifPresent(landed::add);
            }
        }
        return new Snapshot(claimed, landed, failed);
    }

    private static Optional<Integer> index(String name) {
        try {
            return name.endsWith(".json") ? Optional.of(Integer.parseInt(name.substring(0, name.length() - ".json".length())))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** When a work object of the run was last written (a worker took or landed a file), if it has any. */
    public Optional<Instant> lastWritten(String runId) {
        return ObjectListing.under(client, calls, namespace, bucket, folder(runId), "name,timeModified", 100_000).stream()
                .map(ObjectSummary::getTimeModified).filter(java.util.Objects::nonNull).map(java.util.Date::toInstant)
                .max(Instant::compareTo);
    }

    // ---- the first failure

    /** Records why the run fails; true for the first worker to fail, false when another failed first. */
    public boolean failFirst(String runId, String reason) {
        return create(folder(runId) + "failed.json", Map.of("reason", reason)).isPresent();
    }

    /** Whether a worker has failed the run. */
    public boolean failed(String runId) {
        return exists(folder(runId) + "failed.json");
    }

    /**
     * Removes the run's work objects once the run has landed, all but the claims and the join (done): a worker still
     * walking the list finds each file done instead of landing it again, and nobody takes the join twice (a lifecycle
     * rule in infra/ removes them after 30 days). Best effort: nothing reads the rest after the join.
     */
    public void clear(String runId) {
        try {
            for (ObjectSummary object : ObjectListing.under(client, calls, namespace, bucket, folder(runId), null, 100_000)) {
                if (object.getName().equals(folder(runId) + "join.json") || object.getName().startsWith(folder(runId) + "claims/")) {
                    continue;
                }
                calls.call("Removing " + object.getName(), () -> client.deleteObject(DeleteObjectRequest.builder()
                        .namespaceName(namespace).bucketName(bucket).objectName(object.getName()).build()));
            }
        } catch (RuntimeException e) {
            log.warn("work objects of an ended run not removed", "runId", runId, "error", e.getMessage());
        }
    }

    // ---- objects

    private record Versioned<T>(T value, String etag) {
    }

    private boolean exists(String name) {
        return !ObjectListing.under(client, calls, namespace, bucket, name, null, 1).isEmpty();
    }

    private <T> Optional<Versioned<T>> read(String name, Class<T> type) {
        try {
            GetObjectResponse response = calls.call("Reading " + name, () -> client.getObject(GetObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(name).build()));
            try (InputStream body = response.getInputStream()) {
                return Optional.of(new Versioned<>(json.readValue(body, type), response.getETag()));
            } catch (IOException e) {
                throw new TransientException("Reading " + name + " failed: " + e.getMessage() + "; try again.", e);
            }
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw failure("Reading " + name, e);
        }
    }

    /** Writes {@code value} only if nothing is there; empty when something was. */
    private Optional<String> create(String name, Object value) {
        try {
            return Optional.of(write(name, value, null, true));
        } catch (BmcException e) {
            if (e.getStatusCode() == 412 || e.getStatusCode() == 409) {
                return Optional.empty();
            }
            throw failure("Writing " + name, e);
        }
    }

    /** Writes {@code value} only over the version {@code etag}; false when another write came first. */
    private boolean replace(String name, Object value, String etag) {
        try {
            write(name, value, etag, false);
            return true;
        } catch (BmcException e) {
            if (e.getStatusCode() == 412 || e.getStatusCode() == 409 || e.getStatusCode() == 404) {
                return false;
            }
            throw failure("Writing " + name, e);
        }
    }

    private void put(String name, Object value) {
        try {
            write(name, value, null, false);
        } catch (BmcException e) {
            throw failure("Writing " + name, e);
        }
    }

    private String write(String name, Object value, String ifMatch, boolean mustBeNew) {
        return dev.fusionextract.objectstore.JsonPut.put(client, calls, namespace, bucket, name, json, log.redactor(), value, ifMatch,
                mustBeNew);
    }

    private RuntimeException failure(String what, BmcException e) {
        return RunLedger.failure(what, bucket, e);
    }
}
