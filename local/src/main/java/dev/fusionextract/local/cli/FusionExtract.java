package dev.fusionextract.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code fusion-extract}: Fusion Data Extraction into OCI Object Storage, on a laptop. */
@Command(name = "fusion-extract", mixinStandardHelpOptions = true, version = "fusion-extract 0.1.0",
        description = "Runs the Fusion extract chain locally against embedded emulators, and the benchmarks.",
        subcommands = {DemoCommand.class, RunCommand.class, EmulateCommand.class, StatusCommand.class, RunsCommand.class, SweepCommand.class, DoctorCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class FusionExtract {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show the stack trace of an error, not only its message.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors shown as one line and the fix; stack traces only with --verbose. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FusionExtract());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            boolean verbose = parsed.originalArgs().contains("--verbose");
            line.getErr().println("fusion-extract: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(line.getErr());
            } else {
                line.getErr().println("(run again with --verbose for details)");
            }
            return 2;
        });
        return cli;
    }
}
