package dev.fusionextract.local.cli;

import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.local.doctor.Doctor;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.retry.Sleeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The preflight of a deployment: run it after 'terraform apply', before the first extract. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Checks a deployment before its first run, with the "
        + "functions' configuration in --config and the OCI profile it names (OCI_AUTH=config_file) or the resource principal: the "
        + "configuration keys, the Vault secret and its fields, an IDCS token for the scope, a read-only Fusion batch API call, both "
        + "buckets and their object events, a test message on the POLL and TRANSFER topics (the functions answer it and do nothing "
        + "else), the Data Integration task. One line each, ✔ or ✗ with the fix. Exits 0 only when every check passes.")
public final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "KEY=VALUE configuration: the functions' keys (as infra/ sets them) plus OCI_AUTH and the OCI profile.")
    Path config;

    @Option(names = "--ping-status", description = "Also send a test message to the STATUS topic (its subscribers receive it).")
    boolean pingStatus;

    @Option(names = "--log", paramLabel = "FILE", description = "Where the JSON log of the calls goes (default: ${DEFAULT-VALUE}).",
            defaultValue = "doctor.log")
    Path logFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> fileKeys = StatusCommand.values(config);
        Doctor.Input input = new Doctor.Input(fileKeys, ConfigSource.of(fileKeys).orElse(ConfigSource.environment()), System.getenv(),
                pingStatus);
        List<Doctor.Check> checks;
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
            checks = new Doctor(input, Clock.systemUTC(), Sleeper.system(),
                    new JsonLog(log, new Redactor(), Clock.systemUTC(), JsonLog.Level.INFO)).run();
        }
        out.println("fusion-extract doctor: " + config);
        checks.forEach(check -> out.println(check.line()));
        long failed = checks.stream().filter(check -> !check.passed()).count();
        out.println(failed == 0 ? "all " + checks.size() + " checks passed"
                : failed + " of " + checks.size() + " checks failed; fix them in order (a later check often needs an earlier one)");
        return failed == 0 ? 0 : 1;
    }
}
