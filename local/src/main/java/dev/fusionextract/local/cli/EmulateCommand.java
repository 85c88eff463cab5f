package dev.fusionextract.local.cli;

import dev.fusionextract.local.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Both emulators, seeded, until interrupted; prints their endpoints and a configuration file that points at them. */
@Command(name = "emulate", mixinStandardHelpOptions = true,
        description = "Starts the Fusion simulator and the OCI emulator (seeded with an IDCS client and its Vault secret, the buckets " +
                "and the topics), prints their endpoints and writes a configuration file for them; runs until interrupted.")
public final class EmulateCommand implements Callable<Integer> {

    @Option(names = "--work-dir", description = "Where the key and the configuration file go (default: a new temp folder).")
    Path workDir;

    @Option(names = "--size-mib", description = "Unzipped size of the sample extract SupplierExtract, in MiB (default: ${DEFAULT-VALUE}).",
            defaultValue = "48")
    int sizeMib;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Counted down to stop (tests); otherwise the command runs until the process is interrupted. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = workDir != null ? workDir : Files.createTempDirectory("fusion-extract-emulate");
        try (LocalStack stack = new LocalStack(work)) {
            stack.seedSampleExtract(sizeMib, 3);
            Path config = stack.writeConfig();
            out.printf("Fusion simulator (IDCS + saas-batch)  %s%n", stack.fusion.baseUri());
            out.printf("OCI emulator (Object Storage, Secrets, Notifications, Data Integration)  %s%n", stack.oci.endpoint());
            out.printf("configuration  %s%n", config);
            out.printf("sample extract %s; try: fusion-extract run --config %s --extract %s%n%n", LocalStack.SAMPLE_EXTRACT, config,
                    LocalStack.SAMPLE_EXTRACT);
            out.println(Files.readString(config));
            out.println("running until interrupted (Ctrl-C)");
            out.flush();
            stop.await();
            return 0;
        }
    }
}
