package dev.fusionextract.transfer.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.fusion.OutputFile;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.ledger.WorkLedger;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.pipeline.Budget;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.pipeline.StageRunner;
import dev.fusionextract.transfer.FileTransfer;
import dev.fusionextract.transfer.LandingCleanup;
import dev.fusionextract.transfer.LandingNames;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run's output files landed by up to TRANSFER_WORKERS invocations at once, taking files one by one.
 * <ul>
 *   <li>The lead (the TRANSFER message from poll-function, its continuations and the sweep's re-sends) holds the run's
 *       TRANSFER claim as the sequential transfer does; the first time, it lists the output files once, records the
 *       list ({@link WorkLedger}) and starts the helper workers 2..N with one message each.</li>
 *   <li>Every worker walks the list from its own starting point and takes the next file nobody holds with a
 *       conditional write, a lease until its invocation's deadline (a dead worker's file is taken over once the
 *       lease has run out), lands it and records the result in an object of its own; when its budget is spent it
 *       hands over to a fresh invocation of itself.</li>
 *   <li>The worker that finds every file landed takes the join (a conditional create: of two that finish together,
 *       one wins), writes the manifest and moves the run to LANDED.</li>
 *   <li>A file that fails for good fails the run once: the first worker to fail records it and fails the run (its
 *       folder is emptied, as in the sequential transfer); the others stop taking files, and one that lands a file
 *       after the failure removes what it landed.</li>
 * </ul>
 */
final class ParallelTransfer {

    private final Components components;
    private final TransferService sequential;
    private final WorkLedger work;

    ParallelTransfer(Components components, TransferService sequential) {
        this.components = components;
        this.sequential = sequential;
        this.work = components.work();
    }

    Reply transfer(StageMessage.Transfer message, RunRecord run, Instant deadline, StageRunner.Delivery delivery, JsonLog runLog) {
        int me = message.worker() == null ? 1 : message.worker();
        String holder = "worker-" + me + "/" + message.attempt();
        JsonLog log = runLog.with("worker", me);
        Optional<Reply> notMine = claim(message, me, holder, deadline, delivery, log);
        if (notMine.isPresent()) {
            return notMine.get();
        }
        LandingNames names = LandingNames.forRun(run, components.pipeline().landingPrefix());
        LandingCleanup cleanup = components.landingCleanup();
        // A run that fails for good leaves nothing under its folder, whichever worker fails it.
        delivery.onFailure(() -> cleanup.removeAll(names.folder()));
        Budget budget = Budget.until(deadline, components.pipeline().deadlineMargin(), components.clock());
        WorkLedger.FileList list = work.files(message.runId()).orElse(null);
        if (list == null) {
            if (message.worker() != null) {
                // Only the lead starts workers, after recording the list: nothing for this one to do.
                return Reply.dropped(message.runId(), "worker " + me + " found no file list; the lead lands the run", log);
            }
            list = work.recordFiles(message.runId(), components.fusion().outputFiles(new JobRequestId(message.jobRequestId()),
                    () -> budget.fits(Duration.ZERO)));
        }
        List<OutputFile> files = list.outputFiles();
        int workers = Math.min(components.pipeline().transferWorkers(), Math.max(1, files.size()));
        if (message.worker() == null && message.attempt() == 1) {
            for (int w = 2; w <= workers; w++) {
                components.publish(components.pipeline().requireTransferTopic(),
                        new StageMessage.Transfer(message.runId(), message.jobRequestId(), 1, null, w));
            }
            log.info("transfer workers started", "workers", workers, "files", files.size());
        }
        FileTransfer transfer = components.fileTransfer();
        List<Integer> order = rotation(files.size(), me, workers);
        long bytes = 0;
        Duration spent = Duration.ZERO;
        int landedNow = 0;
        while (true) {
            WorkLedger.Snapshot seen = work.snapshot(message.runId(), files.size());
            Optional<Stop> stop = stopped(message.runId(), seen.failed());
            if (stop.isPresent()) {
                return stoppedReply(message, me, holder, log, landedNow, stop.get().why());
            }
            Optional<Integer> next = order.stream().filter(i -> !seen.claimed().contains(i)).findFirst();
            boolean takeOver = next.isEmpty();
            if (takeOver) {
                // Every file is claimed: one whose worker's lease ran out without landing it is taken over.
                next = order.stream().filter(i -> !seen.landed().contains(i)).findFirst();
                if (next.isEmpty()) {
                    break;
                }
            }
            int index = next.get();
            OutputFile file = files.get(index);
            if (landedNow > 0 && !budget.fits(TransferService.estimate(file, bytes, spent))) {
                return handOver(message, me, holder, log, landedNow);
            }
            if (takeOver) {
                Optional<Integer> taken = takeExpired(message.runId(), order, seen, holder, deadline);
                if (taken.isEmpty()) {
                    break; // the claimed files are all held by live workers or done: nothing for this one
                }
                index = taken.get();
                file = files.get(index);
                log.warn("file of a worker whose lease ran out taken over", "file", file.safeName());
            } else if (work.takeFile(message.runId(), index, holder, deadline) != WorkLedger.Take.TAKEN) {
                continue; // another worker took it first: look again
            }
            Instant began = components.clock().instant();
            RunRecord.LandedFile landed;
            try {
                landed = sequential.landWithRetries(transfer, file, names, log);
            } catch (PermanentException e) {
                if (work.failFirst(message.runId(), Reasons.cut(e.getMessage()))) {
                    throw e; // the stage runner empties the folder, fails the run and says so, once
                }
                return stoppedReply(message, me, holder, log, landedNow, "another worker failed the run first");
            }
            Optional<Stop> after = stopped(message.runId(), work.failed(message.runId()));
            if (after.isPresent()) {
                if (after.get().failed()) {
                    // The run failed while this file landed: what was just landed must not stay behind.
                    landed.objects().forEach(o -> cleanup.remove(o.name()));
                }
                // A run that landed meanwhile keeps its objects: this worker wrote the same bytes under the same names.
                return stoppedReply(message, me, holder, log, landedNow, after.get().why() + " while a file landed");
            }
            work.landed(message.runId(), index, landed, holder);
            bytes += Math.max(0, file.size());
            spent = spent.plus(Duration.between(began, components.clock().instant()));
            landedNow++;
            log.info("file landed", "file", file.safeName(), "objects", landed.objects().size());
        }
        return join(message, me, holder, names, files, deadline, delivery, log, landedNow);
    }

    /** Takes over the first claimed, unlanded file (in this worker's order) whose holder's lease has run out; its index. */
    private Optional<Integer> takeExpired(String runId, List<Integer> order, WorkLedger.Snapshot seen, String holder, Instant deadline) {
        for (int index : order) {
            if (seen.landed().contains(index)) {
                continue;
            }
            WorkLedger.Take take = work.takeFile(runId, index, holder, deadline);
            if (take == WorkLedger.Take.TAKEN || take == WorkLedger.Take.TAKEN_OVER) {
                return Optional.of(index);
            }
        }
        return Optional.empty();
    }

    /** The file indexes in the order worker {@code me} of {@code workers} walks them: from its own share of the list on. */
    static List<Integer> rotation(int files, int me, int workers) {
        int start = files == 0 ? 0 : (me - 1) * files / Math.max(workers, me);
        List<Integer> order = new ArrayList<>(files);
        for (int k = 0; k < files; k++) {
            order.add((start + k) % files);
        }
        return order;
    }

    /** The lead holds the run's TRANSFER claim; a helper its own attempt's hold. Empty when this delivery may work. */
    private Optional<Reply> claim(StageMessage.Transfer message, int me, String holder, Instant deadline, StageRunner.Delivery delivery,
                                  JsonLog log) {
        if (message.worker() == null) {
            return Reply.unlessClaimed(delivery.claim(deadline, true), message.runId(), Stage.TRANSFER, message.attempt(), log);
        }
        if (me > components.pipeline().transferWorkers()) {
            log.warn("transfer worker beyond TRANSFER_WORKERS; the others land its files", "workers", components.pipeline().transferWorkers());
        }
        return switch (work.takeWorker(message.runId(), me, message.attempt(), holder, deadline)) {
            case TAKEN, TAKEN_OVER -> Optional.empty();
            case HELD -> Optional.of(Reply.busy(message.runId(), Stage.TRANSFER_WORKER, message.attempt(), log));
            case DONE -> Optional.of(Reply.dropped(message.runId(), "worker " + me + " attempt " + message.attempt() + " is DONE", log));
        };
    }

    /** Why a worker stops taking files, and whether the run failed (then what it lands must go). */
    private record Stop(String why, boolean failed) {
    }

    /** A worker failed the run ({@code workerFailed}, as the work objects show), or the run is no longer TRANSFERRING. */
    private Optional<Stop> stopped(String runId, boolean workerFailed) {
        if (workerFailed) {
            return Optional.of(new Stop("a worker failed the run", true));
        }
        RunState state = components.ledger().read(runId).map(v -> v.record().state()).orElse(RunState.FAILED);
        if (state == RunState.TRANSFERRING) {
            return Optional.empty();
        }
        boolean landed = state == RunState.LANDED || state == RunState.LOADING || state == RunState.LOADED;
        return Optional.of(new Stop("the run is " + state, !landed));
    }

    /** Ends this delivery's hold (the lead's TRANSFER claim, or the helper's attempt) and starts its answer. */
    private ObjectNode finish(StageMessage.Transfer message, int me, String holder, int landedNow) {
        if (message.worker() == null) {
            components.ledger().update(message.runId(), r -> r.finish(Stage.TRANSFER, message.attempt(), components.clock().instant()));
        } else {
            work.finishWorker(message.runId(), me, message.attempt(), holder);
        }
        ObjectNode reply = Reply.object();
        reply.put("runId", message.runId());
        reply.put("worker", me);
        reply.put("attempt", message.attempt());
        reply.put("landed", landedNow);
        return reply;
    }

    /** Ends this delivery's hold; the answer says why in {@code field}. */
    private Reply ended(StageMessage.Transfer message, int me, String holder, int landedNow, String field, String why) {
        ObjectNode reply = finish(message, me, holder, landedNow);
        reply.put(field, why);
        return Reply.done(reply);
    }

    private Reply stoppedReply(StageMessage.Transfer message, int me, String holder, JsonLog log, int landedNow, String why) {
        log.info("transfer worker stopped", "why", why, "landed", landedNow);
        return ended(message, me, holder, landedNow, "stopped", why);
    }

    private Reply handOver(StageMessage.Transfer message, int me, String holder, JsonLog log, int landedNow) {
        if (message.attempt() >= StageMessage.MAX_ATTEMPT) {
            throw new PermanentException("Transfer worker " + me + " of run " + message.runId() + " was continued " + message.attempt()
                    + " times, the most one run may take; raise the function's timeout so that more files fit in one invocation.");
        }
        log.info("budget spent, worker continues in a new invocation", "landed", landedNow);
        components.publish(components.pipeline().requireTransferTopic(), new StageMessage.Transfer(message.runId(), message.jobRequestId(),
                message.attempt() + 1, null, message.worker()));
        ObjectNode reply = finish(message, me, holder, landedNow);
        reply.put("next", message.attempt() + 1);
        return Reply.done(reply);
    }

    /** The worker that finds every file landed and wins the join writes the manifest; the run is LANDED once. */
    private Reply join(StageMessage.Transfer message, int me, String holder, LandingNames names, List<OutputFile> files, Instant deadline,
                       StageRunner.Delivery delivery, JsonLog log, int landedNow) {
        Optional<Map<Integer, RunRecord.LandedFile>> all = work.allLanded(message.runId(), files.size());
        if (all.isEmpty()) {
            return ended(message, me, holder, landedNow, "waiting", "files still held by other workers");
        }
        WorkLedger.Take join = work.takeJoin(message.runId(), holder, deadline);
        if (join == WorkLedger.Take.HELD || join == WorkLedger.Take.DONE
                || components.ledger().read(message.runId()).orElseThrow().record().state() != RunState.TRANSFERRING) {
            // Taken by another worker, or joined (and the work objects cleared) since this one looked: the run has ended.
            return ended(message, me, holder, landedNow, "joined", "by another worker");
        }
        // Whatever a dead worker left open under the folder goes before the manifest says the folder is complete.
        components.landingCleanup().abortOpenUploads(names.folder());
        RunRecord withFiles = components.ledger().update(message.runId(), r -> {
            RunRecord next = r;
            for (RunRecord.LandedFile file : all.get().values()) {
                TransferService.overlapCheck(next, file);
                next = next.withLandedFile(file, components.clock().instant());
            }
            return next;
        }).record();
        Reply reply = sequential.land(message, names, files, withFiles, delivery, log);
        work.finishJoin(message.runId(), holder);
        if (message.worker() != null) {
            work.finishWorker(message.runId(), me, message.attempt(), holder);
        }
        work.clear(message.runId());
        reply.body().put("worker", me);
        return reply;
    }
}
