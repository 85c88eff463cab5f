package dev.fusionextract.submit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.fusion.JobState;
import dev.fusionextract.fusion.JobStatus;
import dev.fusionextract.fusion.Occurrences;
import dev.fusionextract.ledger.RunId;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.JobSystem;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.pipeline.Budget;
import dev.fusionextract.pipeline.Components;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves a series along, once per sweep: the run of a recurring Fusion job stays RECURRING while Fusion's schedule
 * runs, and no poller waits on it. Each sweep lists the job's occurrences ({@link Occurrences}); each occurrence
 * that has finished becomes a run of its own, {@code <parent>-<job id>}, created SUBMITTED with the occurrence's
 * job (a conditional create: of two sweeps, one creates it and sends its POLL), so it is polled, transferred and
 * landed like any run, with its own folder, manifest and STATUS. Parent and child name each other in their
 * records. The series ends when Fusion's job has ended or its end date has passed, the whole list was seen and
 * every occurrence's run has ended: LANDED when each landed, FAILED naming those that did not.
 */
final class SeriesKeeper {

    private final Components components;
    private final RunLedger ledger;
    private final JsonLog log;

    SeriesKeeper(Components components) {
        this.components = components;
        this.ledger = components.ledger();
        this.log = components.log().with("stage", "SWEEP");
    }

    /** The run id of an occurrence: the parent's, cut to leave room, and the occurrence's own job id. */
    static String occurrenceRunId(String parentRunId, String jobRequestId) {
        String suffix = "-" + jobRequestId;
        String prefix = parentRunId.substring(0, Math.min(parentRunId.length(), RunId.MAX_LENGTH - suffix.length()));
        return prefix + suffix;
    }

    /** Looks at the series once; returns how many occurrences were started as runs. */
    int advance(RunRecord parent, Budget budget) {
        JsonLog runLog = log.with("runId", parent.runId());
        FusionBatchClient fusion = components.fusion();
        JobRequestId job = new JobRequestId(parent.jobRequestId());
        Occurrences.Found found = Occurrences.of(fusion, job, () -> budget.fits(Duration.ZERO));
        Set<String> children = new LinkedHashSet<>(parent.series() == null ? List.of() : parent.series().children());
        int started = 0;
        boolean running = false;
        for (Occurrences.Occurrence occurrence : found.occurrences()) {
            if (occurrence.state() == JobState.RUNNING) {
                running = true; // not finished yet: a later sweep lands it
                continue;
            }
            String childId = occurrenceRunId(parent.runId(), occurrence.jobRequestId());
            if (children.contains(childId)) {
                continue;
            }
            if (!RunId.valid(childId)) {
                runLog.error("occurrence has a job id no run id can hold; skipped", null, "jobId", occurrence.jobRequestId());
                continue;
            }
            if (start(parent, occurrence, childId, runLog)) {
                started++;
            }
            children.add(childId);
        }
        Instant now = components.clock().instant();
        RunRecord linked = ledger.update(parent.runId(), r -> {
            Set<String> all = new LinkedHashSet<>(r.series() == null ? List.of() : r.series().children());
            all.addAll(children);
            // Written only when an occurrence was added: a sweep that finds nothing new writes nothing.
            RunRecord.Series series = new RunRecord.Series(null, List.copyOf(all));
            return series.equals(r.series()) ? r : r.withSeries(series, now);
        }).record();
        if (found.complete() && !running) {
            endIfOver(linked, fusion, job, runLog);
        } else if (running && pastEnd(linked).map(end -> now.isAfter(end.plus(components.pipeline().maxRun()))).orElse(false)) {
            // An occurrence that never finishes must not keep the series open for ever.
            end(linked, RunState.FAILED, "the series' end date has passed and an occurrence has still not finished after MAX_RUN_MINUTES="
                    + components.pipeline().maxRun().toMinutes() + "; look at the occurrences of Fusion job " + job + " in Scheduled Processes",
                    runLog);
        }
        return started;
    }

    /** Creates the occurrence's run and sends its POLL; false when another sweep created it first. */
    private boolean start(RunRecord parent, Occurrences.Occurrence occurrence, String childId, JsonLog runLog) {
        Instant now = components.clock().instant();
        ObjectNode request = parent.request().deepCopy();
        request.remove("recurrence");
        request.remove("runId");
        RunRecord child = RunRecord.requested(childId, request, now)
                .moveTo(RunState.SUBMITTED, "occurrence of series " + parent.runId() + ": Fusion job " + occurrence.jobRequestId()
                        + " ended " + occurrence.status(), now)
                .withJobRequestId(occurrence.jobRequestId(), now)
                .withSeries(new RunRecord.Series(parent.runId(), List.of()), now);
        if (!(ledger.create(child) instanceof RunLedger.Created)) {
            return false;
        }
        runLog.info("occurrence of the series started as a run", "child", childId, "jobId", occurrence.jobRequestId(),
                "status", occurrence.status());
        components.metrics().started(child);
        components.publish(components.pipeline().requirePollTopic(), new StageMessage.Poll(childId, JobSystem.FUSION,
                occurrence.jobRequestId(), 1));
        return true;
    }

    private void endIfOver(RunRecord parent, FusionBatchClient fusion, JobRequestId job, JsonLog runLog) {
        Instant now = components.clock().instant();
        boolean pastEnd = pastEnd(parent).map(now::isAfter).orElse(false);
        Optional<JobStatus> status = Optional.empty();
        if (!pastEnd) {
            status = Optional.of(fusion.status(job));
            if (status.get().state() == JobState.RUNNING) {
                return;
            }
        }
        List<String> notLanded = new ArrayList<>();
        for (String childId : parent.series().children()) {
            Optional<RunRecord> child = ledger.read(childId).map(RunLedger.Versioned::record);
            if (child.isPresent() && !child.get().state().terminal()) {
                return; // an occurrence is still on its way
            }
            if (child.isEmpty() || !(child.get().state() == RunState.LANDED || child.get().state() == RunState.LOADED)) {
                notLanded.add(childId + (child.map(c -> " " + c.state()).orElse(" missing")));
            }
        }
        int total = parent.series().children().size();
        String why = status.map(s -> "Fusion job " + job + " ended " + s.name()).orElse("the series' end date has passed");
        if (notLanded.isEmpty() && status.map(s -> s.state() != JobState.FAILED).orElse(true)) {
            end(parent, RunState.LANDED, "series ended (" + why + "): " + total + " occurrence" + (total == 1 ? "" : "s") + " landed", runLog);
        } else {
            end(parent, RunState.FAILED, "series ended (" + why + "): " + (total - notLanded.size()) + " of " + total
                    + " occurrences landed" + (notLanded.isEmpty() ? "" : "; not landed: " + String.join(", ", notLanded)
                    + " (see each run's reason)"), runLog);
        }
    }

    private void end(RunRecord parent, RunState state, String reason, JsonLog runLog) {
        AtomicBoolean mine = new AtomicBoolean(false);
        RunRecord ended = ledger.update(parent.runId(), r -> {
            mine.set(r.state() == RunState.RECURRING);
            return mine.get() ? r.moveTo(state, reason, components.clock().instant()) : r;
        }).record();
        if (mine.get()) {
            runLog.info("series ended", "state", state, "reason", ended.reason());
            components.publishStatus(new StageMessage.Status(parent.runId(), state, ended.reason()));
        }
    }

    /** The end of the series' schedule: the day after its end date (UTC), so that no time zone ends it early. */
    static Optional<Instant> pastEnd(RunRecord parent) {
        String end = parent.request() == null ? "" : parent.request().path("recurrence").path("endDate").asText("");
        try {
            return Optional.of(LocalDate.parse(end).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
