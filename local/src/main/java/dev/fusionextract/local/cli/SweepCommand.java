package dev.fusionextract.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.submit.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** One sweep, from a workstation, against the deployment (or the emulators) a configuration file names. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Runs one sweep, as the schedule in infra/ does: starts "
        + "request objects whose event was lost, sends again the message of a stage that stopped moving (to the configured "
        + "topics, where the deployed functions take it), and times out runs past MAX_RUN_MINUTES. Reads submit-function's "
        + "keys from --config. Exits 0 when the sweep looked at everything it should.")
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "KEY=VALUE configuration (submit-function's keys).")
    Path config;

    @Option(names = "--grace-minutes", description = "Step in when a request or a stage has stood still this long (default: "
            + "${DEFAULT-VALUE}, what the scheduled sweep uses).", defaultValue = "10")
    int graceMinutes;

    @Option(names = "--log", paramLabel = "FILE", description = "Where the JSON log goes (default: ${DEFAULT-VALUE}).", defaultValue = "sweep.log")
    Path logFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (graceMinutes < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--grace-minutes must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        ConfigSource source = StatusCommand.source(config);
        Configuration configuration = Configuration.load(source, ConfigKey.Reader.SUBMIT);
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
             Components components = new Components(configuration, OciClients.authentication(configuration.oci(), System.getenv()),
                     Clock.systemUTC(), Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble(),
                     new JsonLog(log, new Redactor(), Clock.systemUTC(), JsonLog.Level.INFO))) {
            Reply reply = Sweep.runOnce(components, Duration.ofMinutes(graceMinutes), Instant.now().plus(Duration.ofMinutes(5)));
            JsonNode sweep = reply.body().path("sweep");
            if (sweep.isMissingNode()) {
                out.println("the sweep failed: " + reply.body().path("error").asText() + " (see " + logFile + ")");
                return 1;
            }
            out.printf("requests looked at %d, started %d; runs looked at %d, timed out %d, messages sent again %d, markers cleared %d, "
                            + "errors %d%s%n", sweep.path("requestsChecked").asInt(), sweep.path("requestsStarted").asInt(),
                    sweep.path("runsChecked").asInt(), sweep.path("timedOut").asInt(), sweep.path("resent").asInt(),
                    sweep.path("markersCleared").asInt(), sweep.path("errors").asInt(),
                    sweep.path("complete").asBoolean() ? "" : "; stopped at a bound, run it again for the rest");
            return sweep.path("errors").asInt() == 0 && sweep.path("complete").asBoolean() ? 0 : 1;
        }
    }
}
