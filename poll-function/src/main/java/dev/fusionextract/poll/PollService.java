package dev.fusionextract.poll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.dataintegration.DataIntegrationJobs;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.fusion.JobState;
import dev.fusionextract.fusion.JobStatus;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.messages.JobSystem;
import dev.fusionextract.messages.StageMessage;
import dev.fusionextract.messages.StageMessages;
import dev.fusionextract.pipeline.Budget;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.PipelineSettings;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.pipeline.StageRunner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Watches a job (a Fusion batch job or a Data Integration task run) until it ends, across as many invocations
 * as it takes: each invocation checks, waits a growing interval and checks again while its budget lasts,
 * then hands over to the next attempt through the POLL topic. A job lasting T thus takes at most
 * ceil(T / budget) + 1 invocations. Success hands the run to the next stage, failure and the run's time limit
 * end it with a reason.
 */
public final class PollService {

    /** What one status check found. */
    private record Check(String name, JobState state, Optional<String> message) {
    }

    private final Components components;
    private final PipelineSettings settings;
    private final StageRunner runner;

    public PollService(Components components) {
        this.components = components;
        this.settings = components.pipeline();
        this.runner = new StageRunner(components);
    }

    public Reply handle(byte[] body, Instant deadline) {
        if (StageMessages.isPing(new String(body, StandardCharsets.UTF_8))) {
            return Reply.ping("poll-function", components.log());
        }
        return runner.run(Stage.POLL, delivery -> {
            StageMessage.Poll message = StageMessages.parse(new String(body, StandardCharsets.UTF_8), StageMessage.Poll.class);
            Stage stage = message.system() == JobSystem.FUSION ? Stage.POLL : Stage.LOAD;
            JsonLog runLog = delivery.about(message.runId(), stage, message.attempt()).with("jobId", message.jobId());
            return poll(message, stage, deadline, delivery, runLog);
        });
    }

    private Reply poll(StageMessage.Poll message, Stage stage, Instant deadline, StageRunner.Delivery delivery, JsonLog runLog) {
        RunLedger ledger = components.ledger();
        Optional<RunLedger.Versioned> found = ledger.read(message.runId());
        if (found.isEmpty()) {
            return Reply.dropped(message.runId(), "run " + message.runId() + " is not in the ledger", runLog);
        }
        RunRecord run = found.get().record();
        if (!expecting(run, message)) {
            if (handedOverButNotSent(run, message, stage)) {
                return resendTransfer(message, stage, delivery, runLog);
            }
            return Reply.dropped(message.runId(), "the run is " + run.state() + ", not waiting for this job", runLog);
        }
        Optional<Reply> notClaimed = Reply.unlessClaimed(delivery.claim(deadline, true), message.runId(), stage, message.attempt(), runLog);
        if (notClaimed.isPresent()) {
            return notClaimed.get();
        }
        run = ledger.read(message.runId()).orElseThrow().record();
        Budget budget = Budget.until(deadline, settings.deadlineMargin(), components.clock());
        Instant started = (message.system() == JobSystem.FUSION ? run.reachedAt(RunState.SUBMITTED) : run.reachedAt(RunState.LOADING))
                .orElse(run.created());
        Duration interval = settings.pollInterval();
        int checks = 0;
        while (true) {
            Check check;
            try {
                check = check(message);
            } catch (TransientException e) {
                Duration running = Duration.between(started, components.clock().instant());
                if (running.compareTo(settings.maxRun()) >= 0) {
                    // An unreadable status must not keep a run alive past its limit.
                    return end(message, stage, RunState.TIMED_OUT, "job " + message.jobId() + " could not be followed for "
                            + running.toMinutes() + " minutes (MAX_RUN_MINUTES=" + settings.maxRun().toMinutes() + "); its status "
                            + "could not be read: " + e.getMessage() + " Look at the job in " + systemName(message) + ".", delivery, runLog);
                }
                throw e;
            }
            checks++;
            runLog.info("job status", "status", check.name(), "state", check.state(), "check", checks);
            if (check.state() == JobState.SUCCEEDED) {
                return succeeded(message, stage, check, delivery, runLog);
            }
            if (check.state() == JobState.FAILED) {
                String what = message.system() == JobSystem.FUSION ? "Fusion job " : "Data Integration task run ";
                return end(message, stage, RunState.FAILED, what + message.jobId() + " ended " + check.name()
                        + check.message().map(m -> ": " + m.strip().replaceAll("\\.+$", "")).orElse("") + ". Look at the job's log in " + systemName(message)
                        + " and run the extract again once the cause is fixed.", delivery, runLog);
            }
            if (message.system() == JobSystem.FUSION && run.state() == RunState.SUBMITTED) {
                run = ledger.update(message.runId(), r -> r.moveTo(RunState.RUNNING, "Fusion job " + message.jobId() + " is "
                        + check.name(), components.clock().instant())).record();
            }
            Duration running = Duration.between(started, components.clock().instant());
            if (running.compareTo(settings.maxRun()) >= 0) {
                return end(message, stage, RunState.TIMED_OUT, "job " + message.jobId() + " was still " + check.name() + " after "
                        + running.toMinutes() + " minutes (MAX_RUN_MINUTES=" + settings.maxRun().toMinutes() + "). Raise MAX_RUN_MINUTES "
                        + "if such jobs are expected, or look at the job in " + systemName(message) + ".", delivery, runLog);
            }
            // Wait out the whole budget, the last wait cut short, so that each invocation covers its full share.
            Duration wait = min(interval, budget.remaining());
            if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
                // Too little budget left to wait here: still wait one interval before the next invocation checks
                // again (within the invocation's own deadline), so that a short budget never turns into a spin.
                sleep(min(interval, untilDeadline(deadline)));
                break;
            }
            sleep(wait);
            interval = min(settings.pollMaxInterval(), interval.plus(interval.dividedBy(2)));
        }
        if (message.attempt() >= StageMessage.MAX_ATTEMPT) {
            return end(message, stage, RunState.TIMED_OUT, "job " + message.jobId() + " was followed through " + message.attempt()
                    + " invocations, the most one run may take; look at the job in " + systemName(message) + ".", delivery, runLog);
        }
        // Publish first, then mark done: if the mark is lost, the redelivery re-polls and the duplicate
        // continuation is dropped by the next attempt's claim; the other order could drop the chain.
        components.publish(settings.requirePollTopic(), new StageMessage.Poll(message.runId(), message.system(), message.jobId(),
                message.attempt() + 1));
        ledger.update(message.runId(), r -> r.finish(stage, message.attempt(), components.clock().instant()));
        ObjectNode reply = body(message, RunState.RUNNING);
        reply.put("checks", checks);
        reply.put("next", message.attempt() + 1);
        return Reply.done(reply);
    }

    private Check check(StageMessage.Poll message) {
        if (message.system() == JobSystem.FUSION) {
            JobStatus status = components.fusion().status(new JobRequestId(message.jobId()));
            return new Check(status.name(), status.state(), status.message());
        }
        DataIntegrationJobs jobs = components.dataIntegration().orElseThrow(() -> new PermanentException(
                "A Data Integration POLL message arrived but DI_WORKSPACE_OCID, DI_APPLICATION_KEY and DI_TASK_KEY are not set."));
        DataIntegrationJobs.TaskRunStatus status = jobs.status(message.jobId());
        return new Check(status.name(), status.state(), status.message());
    }

    /**
     * Moves the run to TRANSFERRING while this attempt is still held, publishes TRANSFER, then marks the attempt
     * done. If the publish fails, the attempt is given back: its redelivery finds the run TRANSFERRING with the
     * attempt not done and sends TRANSFER then; a mere duplicate finds it done (or held) and sends nothing.
     */
    private Reply succeeded(StageMessage.Poll message, Stage stage, Check check, StageRunner.Delivery delivery, JsonLog runLog) {
        if (message.system() == JobSystem.DATA_INTEGRATION) {
            return end(message, stage, RunState.LOADED, "Data Integration task run " + message.jobId() + " ended " + check.name(), delivery,
                    runLog);
        }
        components.ledger().update(message.runId(), r -> r.moveTo(RunState.TRANSFERRING, "Fusion job " + message.jobId() + " ended "
                + check.name(), components.clock().instant()));
        runLog.info("job succeeded, handing over to transfer", "status", check.name());
        return sendTransfer(message, stage);
    }

    private Reply sendTransfer(StageMessage.Poll message, Stage stage) {
        components.publish(settings.requireTransferTopic(), new StageMessage.Transfer(message.runId(), message.jobId(), 1, null));
        components.ledger().update(message.runId(), r -> r.finish(stage, message.attempt(), components.clock().instant()));
        return Reply.done(body(message, RunState.TRANSFERRING));
    }

    private Reply end(StageMessage.Poll message, Stage stage, RunState state, String reason, StageRunner.Delivery delivery, JsonLog runLog) {
        RunRecord ended = components.ledger().update(message.runId(), r -> r.moveTo(state, reason, components.clock().instant())
                .finish(stage, message.attempt(), components.clock().instant())).record();
        runLog.info("run ended", "state", state, "reason", ended.reason());
        runner.publishStatus(delivery, state, ended.reason());
        ObjectNode reply = body(message, state);
        reply.put("reason", ended.reason());
        return Reply.done(reply);
    }

    private void sleep(Duration wait) {
        try {
            components.sleeper().sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("Interrupted while waiting to poll again", e);
        }
    }

    /** Time left before the invocation's own deadline, less a second; never negative. */
    private Duration untilDeadline(Instant deadline) {
        Duration left = deadline == null ? settings.pollInterval() : Duration.between(components.clock().instant(), deadline).minusSeconds(1);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String systemName(StageMessage.Poll message) {
        return message.system() == JobSystem.FUSION ? "Fusion's Scheduled Processes" : "the Data Integration workspace";
    }

    /** Whether the run waits for this job: a Fusion job while SUBMITTED or RUNNING, a task run while LOADING. */
    private static boolean expecting(RunRecord run, StageMessage.Poll message) {
        if (message.system() == JobSystem.FUSION) {
            return (run.state() == RunState.SUBMITTED || run.state() == RunState.RUNNING) && message.jobId().equals(run.jobRequestId());
        }
        return run.state() == RunState.LOADING && message.jobId().equals(run.taskRunKey());
    }

    /** The run moved to TRANSFERRING under this very attempt, which was given back before it was done: TRANSFER was not sent. */
    private boolean handedOverButNotSent(RunRecord run, StageMessage.Poll message, Stage stage) {
        if (message.system() != JobSystem.FUSION || run.state() != RunState.TRANSFERRING || !message.jobId().equals(run.jobRequestId())
                || run.attempt(stage) != message.attempt()) {
            return false;
        }
        RunRecord.Decision decision = run.decide(stage, message.attempt(), components.clock().instant());
        return decision == RunRecord.Decision.CLAIM || decision == RunRecord.Decision.TAKE_OVER;
    }

    private Reply resendTransfer(StageMessage.Poll message, Stage stage, StageRunner.Delivery delivery, JsonLog runLog) {
        delivery.claim(components.clock().instant().plus(Duration.ofMinutes(5)), true);
        runLog.info("sending the TRANSFER message an earlier attempt could not send");
        return sendTransfer(message, stage);
    }

    private static ObjectNode body(StageMessage.Poll message, RunState state) {
        ObjectNode reply = Reply.object();
        reply.put("runId", message.runId());
        reply.put("jobId", message.jobId());
        reply.put("attempt", message.attempt());
        reply.put("state", state.name());
        return reply;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
