package dev.fusionextract.local.cli;

import dev.fusionextract.local.bench.TransferBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** The benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Runs a benchmark and prints its table.",
        subcommands = {BenchCommand.Transfer.class, BenchCommand.Runs.class, BenchCommand.Scale.class, BenchCommand.ColdStart.class})
public final class BenchCommand {

    /** The transfer benchmark: streaming vs staged vs the machine's limit, each in its own JVM. */
    @Command(name = "transfer", mixinStandardHelpOptions = true, description = "Lands the same generated extract from the Fusion simulator into the OCI emulator by three paths, each in its " +
            "own JVM: streaming (this project), staged (ZIP to disk, unzip to disk, upload), and limit (download and discard, " +
            "upload the same bytes). Prints the median of several rounds: throughput, ratios, peak heap and RSS, bytes written to disk, and CPU time.")
    public static final class Transfer implements Callable<Integer> {
        @Option(names = "--gib", description = "Sizes to run, unzipped GiB, comma-separated (default: ${DEFAULT-VALUE}).", defaultValue = "1,4")
        String gib;

        @Option(names = "--chunks", description = "ZIP chunks (default: ${DEFAULT-VALUE}).", defaultValue = "8")
        int chunks;

        @Option(names = "--xmx", description = "Heap of each path's JVM (default: ${DEFAULT-VALUE}).", defaultValue = "192m")
        String xmx;

        @Option(names = "--paths", description = "Paths to run (default: ${DEFAULT-VALUE}).", defaultValue = "streaming,staged,limit")
        String paths;

        @Option(names = "--repeat", description = "Rounds of each path, interleaved; the median round is reported (default: ${DEFAULT-VALUE}).",
                defaultValue = "3")
        int repeat;

        @Override
        public Integer call() throws Exception {
            TransferBenchmark.main(new String[]{"--gib", gib, "--chunks", String.valueOf(chunks), "--xmx", xmx, "--paths", paths,
                    "--repeat", String.valueOf(repeat)});
            return 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Times fusion-extract runs --since 7d over a ledger of N records "
            + "in the OCI emulator, read through the real SDK: once with every record in the week (all read), once with all older "
            + "(skipped on the listing alone). Prints the median of the rounds.")
    public static final class Runs implements Callable<Integer> {
        @Option(names = "--records", description = "Ledger sizes, comma-separated (default: ${DEFAULT-VALUE}).", defaultValue = "1000,10000")
        String records;

        @Option(names = "--repeat", description = "Rounds per case; the median is reported (default: ${DEFAULT-VALUE}).", defaultValue = "3")
        int repeat;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.util.List<Integer> sizes = java.util.Arrays.stream(records.split(",")).map(String::trim).map(Integer::parseInt).toList();
            dev.fusionextract.local.bench.RunsBenchmark.run(sizes, Math.max(1, repeat), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true, description = "Lands one generated extract of many ZIP chunks with 1, 2, 4 and 8 "
            + "transfer workers (TRANSFER_WORKERS), the Fusion simulator serving each download connection at a fixed rate, the whole chain "
            + "on the local bus; prints the transfer's wall time, the speedup against the first worker count, transfer invocations, "
            + "TRANSFER messages, conditional writes refused, containers started, peak heap, and whether the landed objects and manifest "
            + "equal the first run's.")
    public static final class Scale implements Callable<Integer> {
        @Option(names = "--workers", description = "Worker counts, comma-separated (default: ${DEFAULT-VALUE}).", defaultValue = "1,2,4,8")
        String workers;

        @Option(names = "--chunks", description = "ZIP chunks of the extract (default: ${DEFAULT-VALUE}).", defaultValue = "32")
        int chunks;

        @Option(names = "--mib-per-chunk", description = "Unzipped MiB per chunk (default: ${DEFAULT-VALUE}).", defaultValue = "2")
        int mibPerChunk;

        @Option(names = "--rate-kib", description = "KiB per second each download connection is served at (default: ${DEFAULT-VALUE}).",
                defaultValue = "128")
        int rateKib;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.util.List<Integer> counts = java.util.Arrays.stream(workers.split(",")).map(String::trim).map(Integer::parseInt).toList();
            dev.fusionextract.local.bench.ScaleBenchmark.run(counts, chunks, mibPerChunk, rateKib * 1024L, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "coldstart", mixinStandardHelpOptions = true, description = "Starts each function cold, as OCI Functions does, against warm "
            + "emulators: fresh JVMs on the function's deployed classpath (<function>/target/app and the FDK runtime) with the run image's "
            + "JVM flags and class-data-sharing archive, memory capped at its func.yaml size, one realistic invocation and a warm second "
            + "one; a JVM hello-world measured the same way, rounds interleaved. Prints medians with the spread: first response, its ratio "
            + "to the hello-world, JVM start, configuration, first invocation, CPU seconds, peak RSS, warm invocation. Run from the "
            + "repository root after ./mvnw package.")
    public static final class ColdStart implements Callable<Integer> {
        @Option(names = "--samples", description = "Cold starts of each function (default: ${DEFAULT-VALUE}).", defaultValue = "5")
        int samples;

        @Option(names = "--no-archive", description = "Start without the class-data-sharing archive (what the images ran before it).")
        boolean noArchive;

        @Option(names = "--without-lambdas", description = "Dump the archive from the class list without its @lambda lines "
                + "(the README's fallback for a JDK whose dump fails on them), to compare.")
        boolean withoutLambdas;

        @Option(names = "--repo", description = "The repository root (default: the current directory).", defaultValue = ".")
        java.nio.file.Path repo;

        @Option(names = "--transfer-mib", description = "Size of the job transfer-function lands, MiB unzipped (default: ${DEFAULT-VALUE}).",
                defaultValue = "1")
        int transferMib;

        @Option(names = "--jvm-flag", description = "A JVM flag added to the functions' (or, as !FLAG, taken away), to compare "
                + "with the image's; repeatable, e.g. --jvm-flag=-XX:TieredStopAtLevel=1.")
        java.util.List<String> jvmFlags = new java.util.ArrayList<>();

        @Option(names = "--write-class-lists", description = "Instead: run each function once and write the class list its "
                + "Dockerfile dumps the archive from (<function>/target/cds/classes.lst); the build does this at package.")
        boolean writeClassLists;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (samples < 1 || transferMib < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--samples and --transfer-mib must be at least 1");
            }
            if (writeClassLists) {
                dev.fusionextract.local.bench.ColdStartBenchmark.writeClassLists(repo, spec.commandLine().getOut());
            } else {
                dev.fusionextract.local.bench.ColdStartBenchmark.run(repo, samples, !noArchive, !withoutLambdas, transferMib,
                        jvmFlags, spec.commandLine().getOut());
            }
            return 0;
        }
    }
}
