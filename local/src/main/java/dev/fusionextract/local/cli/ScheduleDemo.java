package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.LocalStack;
import dev.fusionextract.local.ShiftedClock;
import dev.fusionextract.local.bus.LocalEventBus;
import dev.fusionextract.pipeline.ExtractRequest;
import dev.fusionextract.submit.SubmitFunction;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Three occurrences of a nightly schedule on the embedded emulators, one after another: the stack's clock jumps to
 * each occurrence, and the local bus plays Resource Scheduler's invocation of submit-function with the schedule's
 * request as the body, as infra/schedules.tf sets it up. The second occurrence is invoked twice, as a scheduler may.
 */
final class ScheduleDemo {

    static final String SCHEDULE = "suppliers-nightly";
    static final String CRON = "0 2 * * *";
    static final String ROUTE = "schedule → submit-function";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OCCURRENCES = 3;

    private final LocalStack stack;
    private final LocalEventBus bus;
    private final ShiftedClock clock;
    private final PrintWriter out;
    private final Duration timeoutPerRun;

    ScheduleDemo(LocalStack stack, LocalEventBus bus, ShiftedClock clock, PrintWriter out, Duration timeoutPerRun) {
        this.stack = stack;
        this.bus = bus;
        this.clock = clock;
        this.out = out;
        this.timeoutPerRun = timeoutPerRun;
    }

    /** Runs the occurrences; true when each landed as its own run and the doubled invocation submitted nothing. */
    boolean run() throws Exception {
        String body = JSON.createObjectNode().put("extractName", LocalStack.SAMPLE_EXTRACT).put("mode", "INCREMENTAL")
                .put("landingPrefix", "erp").put("schedule", SCHEDULE).toString();
        out.printf("schedule %s: cron \"%s\" (UTC), body %s%n", SCHEDULE, CRON, body);
        out.println("the stack's clock jumps to each occurrence; the local bus plays Resource Scheduler's invocations");
        out.println();
        SubmitFunction submit = SubmitFunction.with(stack.components(ConfigKey.Reader.SUBMIT));
        RunLedger ledger = stack.components(ConfigKey.Reader.CLI).ledger();
        LocalDate first = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        List<RunRecord> runs = new ArrayList<>();
        boolean recognised = false;
        int invocations = 0;
        for (int k = 0; k < OCCURRENCES; k++) {
            Instant occurrence = first.plusDays(k).atTime(LocalTime.of(2, 0)).toInstant(ZoneOffset.UTC);
            clock.jumpTo(occurrence.plusSeconds(4));
            String runId = ExtractRequest.runIdFor(JSON.readTree(body), clock.instant()).orElseThrow();
            int times = k == 1 ? 2 : 1;
            for (int i = 0; i < times; i++) {
                bus.publish(ROUTE, body, Map.of(), submit::handleRequest);
                invocations++;
            }
            out.printf("occurrence %s 02:00 UTC: invoked%s → run %s%n", occurrence.toString().substring(0, 10),
                    times == 2 ? " twice (a doubled invocation)" : "", runId);
            out.flush();
            Instant started = Instant.now();
            RunCommand.Waited waited = RunCommand.await(() -> ledger.read(runId).map(RunLedger.Versioned::record), timeoutPerRun,
                    bus::quiet, java.time.Clock.systemUTC(), dev.fusionextract.retry.Sleeper.system());
            if (waited.stoppedBecause() != null) {
                out.printf("  run %s did not end: %s; see %s%n", runId, waited.stoppedBecause(), stack.work.resolve("functions.log"));
                return false;
            }
            RunRecord run = waited.run();
            runs.add(run);
            out.printf("  %s %s (%.1f s)%n", run.state(), run.reason() == null ? "" : run.reason(),
                    Duration.between(started, Instant.now()).toMillis() / 1000.0);
            if (times == 2) {
                bus.awaitQuiet(Duration.ofSeconds(10));
                long duplicates = bus.deliveries().stream().filter(d -> d.route().equals(ROUTE) && d.status() == 200 && duplicate(d.reply())
                        && d.reply().contains(runId)).count();
                recognised = duplicates == 1;
                out.printf("  the second invocation %s%n", duplicates == 1 ? "found run " + runId + ": duplicate, nothing submitted"
                        : "was not recognised as the same occurrence");
            }
        }
        int jobs = stack.fusion.submissions().size();
        long landed = runs.stream().filter(r -> r.state() == RunState.LANDED).count();
        long folders = runs.stream().map(ScheduleDemo::manifest).filter(Optional::isPresent).distinct().count();
        out.println();
        out.printf("%d occurrences, %d invocations, %d Fusion jobs submitted, %d runs LANDED, each with its own manifest:%n",
                OCCURRENCES, invocations, jobs, landed);
        runs.forEach(r -> out.printf("  %-32s %s%n", r.runId(), manifest(r).orElse("(none)")));
        return landed == OCCURRENCES && jobs == OCCURRENCES && folders == OCCURRENCES && recognised;
    }

    /** Where the run's manifest landed, as its LANDED reason names it. */
    private static Optional<String> manifest(RunRecord run) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("manifest (\\S+_manifest\\.json)").matcher(String.valueOf(run.reason()));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static boolean duplicate(String reply) {
        try {
            JsonNode node = JSON.readTree(reply);
            return node.path("duplicate").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
