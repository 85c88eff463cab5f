package dev.fusionextract.local.runs;

import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.ledger.LedgerException;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.objectstore.ObjectListing;
import dev.fusionextract.oci.OciCalls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The runs of a ledger, newest first: the records under {@code runs/} are listed a page at a time (1,000 names a
 * page), those written before the window are skipped on the listing's modification time alone (a record is
 * written at every step, so one last written before the window was also created before it), and the rest are read
 * in parallel. A record that cannot be read is listed as such, never skipped in silence.
 */
public final class RunListing {

    /** What to list. Empty optionals filter nothing. */
    public record Filter(Optional<Duration> since, Optional<RunState> state, Optional<String> extract) {
    }

    /** One run as the listing shows it; {@code record} is empty when the record could not be read. */
    public record Row(String runId, Optional<RunRecord> record, String problem) {

        public Instant started() {
            return record.map(RunRecord::created).orElse(Instant.EPOCH);
        }

        public String extract() {
            return requested("extractName");
        }

        public String mode() {
            return requested("mode");
        }

        public String schedule() {
            return requested("schedule");
        }

        /** A field of the run's recorded request, or empty. */
        private String requested(String field) {
            return record.map(r -> r.request() == null ? "" : r.request().path(field).asText("")).orElse("");
        }

        /** The series this run is an occurrence of. */
        public Optional<String> parent() {
            return record.map(RunRecord::series).map(RunRecord.Series::parentRunId);
        }

        /** How many occurrences a series parent has so far (0 for any other run). */
        public int occurrences() {
            return record.map(RunRecord::series).filter(s -> s.parentRunId() == null).map(s -> s.children().size()).orElse(0);
        }

        /** The schedule, or for a series "series (n)" and for an occurrence "↳ <parent>". */
        public String origin() {
            if (parent().isPresent()) {
                return "↳ " + parent().get();
            }
            if (record.map(RunRecord::series).isPresent()) {
                return "series (" + occurrences() + ")";
            }
            return schedule();
        }

        public String state() {
            return record.map(r -> r.state().name()).orElse("UNREADABLE");
        }

        /** From creation to the end, or to {@code now} for a run that has not ended. */
        public Duration duration(Instant now) {
            return record.map(r -> Duration.between(r.created(), r.state().terminal() ? r.updated() : now)).orElse(Duration.ZERO);
        }

        public int files() {
            return record.map(r -> r.files().size()).orElse(0);
        }

        public int objects() {
            return record.map(RunRecord::landedObjects).orElse(0);
        }

        public long bytes() {
            return record.map(RunRecord::landedBytes).orElse(0L);
        }

        public String reason() {
            return record.map(r -> r.reason() == null ? "" : r.reason()).orElse(problem);
        }
    }

    static final int MAX_RECORDS = 100_000;
    private static final int READERS = 16;

    private final ObjectStorage client;
    private final OciCalls calls;
    private final String namespace;
    private final String bucket;
    private final RunLedger ledger;
    private final Clock clock;

    public RunListing(ObjectStorage client, OciCalls calls, String namespace, String bucket, RunLedger ledger, Clock clock) {
        this.client = client;
        this.calls = calls;
        this.namespace = namespace;
        this.bucket = bucket;
        this.ledger = ledger;
        this.clock = clock;
    }

    public List<Row> list(Filter filter) throws InterruptedException {
        Instant from = filter.since().map(d -> clock.instant().minus(d)).orElse(Instant.EPOCH);
        List<String> runIds = new ArrayList<>();
        for (ObjectSummary object : ObjectListing.under(client, calls, namespace, bucket, "runs/", "name,timeModified", MAX_RECORDS)) {
            String name = object.getName();
            if (!name.endsWith(".json") || (object.getTimeModified() != null && object.getTimeModified().toInstant().isBefore(from))) {
                continue;
            }
            runIds.add(name.substring("runs/".length(), name.length() - ".json".length()));
        }
        List<Row> rows = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> {
            Thread t = new Thread(r, "ledger-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Row>> reads = new ArrayList<>();
            for (String runId : runIds) {
                reads.add(readers.submit(() -> read(runId)));
            }
            for (Future<Row> read : reads) {
                try {
                    rows.add(read.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(Reasons.of(e.getCause()), e.getCause());
                }
            }
        } finally {
            readers.shutdownNow();
        }
        List<Row> kept = rows.stream()
                .filter(row -> row.record().isEmpty() || !row.started().isBefore(from))
                .filter(row -> filter.state().map(s -> row.state().equals(s.name())).orElse(true))
                .filter(row -> filter.extract().map(e -> row.extract().equals(e)).orElse(true))
                .sorted(Comparator.comparing(Row::started).reversed().thenComparing(Row::runId))
                .toList();
        return underTheirParents(kept);
    }

    /** The occurrences of a series right under their parent (newest first), when the parent is listed too. */
    static List<Row> underTheirParents(List<Row> newestFirst) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        newestFirst.forEach(row -> listed.add(row.runId()));
        java.util.Map<String, List<Row>> children = new java.util.HashMap<>();
        List<Row> top = new ArrayList<>();
        for (Row row : newestFirst) {
            Optional<String> parent = row.parent();
            if (parent.isPresent() && listed.contains(parent.get())) {
                children.computeIfAbsent(parent.get(), p -> new ArrayList<>()).add(row);
            } else {
                top.add(row);
            }
        }
        List<Row> ordered = new ArrayList<>();
        for (Row row : top) {
            ordered.add(row);
            ordered.addAll(children.getOrDefault(row.runId(), List.of()));
        }
        return ordered;
    }

    private Row read(String runId) {
        try {
            return ledger.read(runId).map(v -> new Row(runId, Optional.of(v.record()), null))
                    .orElseGet(() -> new Row(runId, Optional.empty(), "removed while listing"));
        } catch (LedgerException.Corrupt e) {
            return new Row(runId, Optional.empty(), "not a readable run record (runs/" + runId + ".json)");
        } catch (RuntimeException e) {
            if (!dev.fusionextract.ledger.RunId.valid(runId)) {
                return new Row(runId, Optional.empty(), "not a run id");
            }
            throw e;
        }
    }
}
