package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.ZipVariant;
import dev.fusionextract.emulator.oci.PemKeys;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.emulator.oci.ResourcePrincipalFiles;
import dev.fusionextract.local.LocalStack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench coldstart}: each function started cold, as OCI Functions starts it, against warm emulators. A fresh JVM
 * per sample on exactly the function's deployed classpath ({@code <function>/target/app}, then the FDK runtime's
 * jars), with the image's JVM flags ({@link FunctionImage}) and its class-data-sharing archive dumped from the class
 * list the build wrote, its memory capped at the func.yaml size ({@code -XX:MaxRAM}, which sizes the heap as the
 * container limit does), the configuration and resource principal in its environment as Fn gives them. The
 * function is brought up the FDK's way by {@link FnDriver} and answers one realistic invocation, then a second,
 * warm one: submit a direct request, poll the POLL message submit published (the job has succeeded), transfer the
 * TRANSFER message poll published (a 1 MiB job). A JVM hello-world is measured the same way; each round runs
 * hello, submit, poll, transfer in turn, so a slow spell of the machine falls on all of them.
 *
 * <p>The same machinery writes the class lists ({@link #writeClassLists}): one run of each function with
 * {@code -XX:DumpLoadedClassList}, at build time.
 */
public final class ColdStartBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXTRACT = "ColdStartExtract";

    /** One function as deployed: its folder, handler and configured memory. */
    record Function(String name, Path dir, String handler, int memoryMb) {
        Path app() {
            return dir.resolve("target/app");
        }
    }

    /** One cold start: times in seconds, CPU seconds to the first answer, peak RSS at the end. */
    record Sample(String function, double jvmStart, double configuration, double firstInvocation, double firstResponse,
                  double cpuSeconds, double peakRssMib, double warm) {
    }

    /** Where the child JVMs find their pieces. */
    record Layout(Path fdkRuntime, Path driverClasses, Path work, List<String> jvmFlags) {
    }

    private ColdStartBenchmark() {
    }

    static List<Function> functions(Path repo) throws IOException {
        List<Function> functions = new ArrayList<>();
        for (String[] f : new String[][]{{"submit-function", "dev.fusionextract.submit.SubmitFunction::handleRequest"},
                {"poll-function", "dev.fusionextract.poll.PollFunction::handleRequest"},
                {"transfer-function", "dev.fusionextract.transfer.function.TransferFunction::handleRequest"}}) {
            Path dir = repo.resolve(f[0]);
            if (!Files.isDirectory(dir.resolve("target/app"))) {
                throw new IllegalStateException(dir.resolve("target/app") + " is missing: run ./mvnw package at the repository root first.");
            }
            functions.add(new Function(f[0], dir, f[1], FunctionImage.memoryMb(dir)));
        }
        return functions;
    }

    /**
     * Runs {@code samples} rounds and prints the table; {@code lambdas} false dumps the archive from the class list
     * without its {@code @lambda} lines.
     */
    public static void run(Path repoGiven, int samples, boolean archive, boolean lambdas, int transferMib, List<String> jvmFlags,
                           PrintWriter out) throws Exception {
        Path repo = repoGiven.toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("fusion-extract-bench-coldstart");
        Layout layout = layout(repo, work, jvmFlags);
        List<Function> functions = functions(repo);
        Map<String, Path> archives = new LinkedHashMap<>();
        if (archive) {
            for (Function f : functions) {
                archives.put(f.name(), dumpArchive(layout, f, lambdas));
            }
        }
        Map<String, List<Sample>> results = new LinkedHashMap<>();
        results.put("hello-world", new ArrayList<>());
        functions.forEach(f -> results.put(f.name(), new ArrayList<>()));
        try (Chain chain = new Chain(work, transferMib)) {
            for (int round = 1; round <= samples; round++) {
                results.get("hello-world").add(hello(layout));
                String a = "cold-" + round + "-a";
                String b = "cold-" + round + "-b";
                for (Function f : functions) {
                    results.get(f.name()).add(coldStart(layout, f, archives.get(f.name()), chain, chain.inputs(f, a, b), List.of()));
                }
                chain.checkLanded(a);
                chain.checkLanded(b);
            }
        }
        out.print(table(results, functions, samples, archive ? (lambdas ? "image flags and class-data-sharing archive"
                : "image flags and class-data-sharing archive without lambdas") : "image flags, no archive", transferMib, jvmFlags));
        out.flush();
    }

    /**
     * Writes each function's class list to {@code <function>/target/cds/classes.lst}: the classes one realistic
     * first and second invocation load, as the image's JVM loads them (its flags, no archive).
     */
    public static void writeClassLists(Path repoGiven, PrintWriter out) throws Exception {
        Path repo = repoGiven.toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("fusion-extract-class-lists");
        Layout layout = layout(repo, work, List.of());
        List<Function> functions = functions(repo);
        try (Chain chain = new Chain(work, 1)) {
            for (Function f : functions) {
                Path dumped = work.resolve(f.name() + ".classlist");
                coldStart(layout, f, null, chain, chain.inputs(f, "classes-a", "classes-b"),
                        List.of("-Xshare:off", "-XX:DumpLoadedClassList=" + dumped));
                List<String> classes = FunctionImage.cleanClassList(Files.readAllLines(dumped));
                Path list = f.dir().resolve(FunctionImage.BUILT_CLASS_LIST);
                Files.createDirectories(list.getParent());
                Files.write(list, classes);
                out.println(f.name() + ": " + classes.size() + " classes → " + repo.relativize(list));
            }
            chain.checkLanded("classes-a");
            chain.checkLanded("classes-b");
        }
        out.flush();
    }

    private static Layout layout(Path repo, Path work, List<String> jvmFlags) throws IOException {
        Path fdk = repo.resolve("local/target/fdk-runtime");
        if (!Files.isDirectory(fdk)) {
            throw new IllegalStateException(fdk + " is missing: run ./mvnw package at the repository root first.");
        }
        // The driver class alone, out of this jar: the child's classpath holds nothing else of the CLI's.
        Path classes = Files.createDirectories(work.resolve("driver"));
        String resource = FnDriver.class.getName().replace('.', '/') + ".class";
        try (InputStream in = FnDriver.class.getClassLoader().getResourceAsStream(resource)) {
            Path target = classes.resolve(resource);
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        }
        return new Layout(fdk, classes, work, jvmFlags);
    }

    /** The dump-time classpath: the function's jars, then the FDK runtime's, as in the image. */
    private static String archivedClasspath(Layout layout, Function f) {
        return f.app().toAbsolutePath() + "/*" + java.io.File.pathSeparator + layout.fdkRuntime().toAbsolutePath() + "/*";
    }

    /** The archive the Dockerfile dumps, dumped the same way from the class list the build wrote. */
    static Path dumpArchive(Layout layout, Function f, boolean lambdas) throws Exception {
        Path list = f.dir().resolve(FunctionImage.BUILT_CLASS_LIST);
        if (!Files.isRegularFile(list)) {
            throw new IllegalStateException(list + " is missing: run ./mvnw package at the repository root first.");
        }
        if (!lambdas) {
            // what the README's fallback does to the image's list: sed -i '/^@/d'
            list = Files.write(layout.work().resolve(f.name() + ".classes.lst"),
                    FunctionImage.withoutLambdas(Files.readAllLines(list)));
        }
        Path archive = layout.work().resolve(f.name() + ".jsa");
        Process dump = new ProcessBuilder(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + list.toAbsolutePath(),
                "-XX:SharedArchiveFile=" + archive, "-cp", archivedClasspath(layout, f))
                .redirectErrorStream(true).redirectOutput(layout.work().resolve(f.name() + ".dump.log").toFile()).start();
        if (dump.waitFor() != 0 || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("dumping the archive of " + f.name() + " failed: see " + layout.work().resolve(f.name() + ".dump.log"));
        }
        return archive;
    }

    private static Sample hello(Layout layout) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(FunctionImage.flags(null));
        command.addAll(List.of("-XX:MaxRAM=128m", "-cp", layout.fdkRuntime().toAbsolutePath() + "/*"
                + java.io.File.pathSeparator + layout.driverClasses(), FnDriver.class.getName(), "hello"));
        Invocation ping = new Invocation(Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        return measure("hello-world", new ProcessBuilder(command), List.of(ping, ping));
    }

    private static Sample coldStart(Layout layout, Function f, Path archive, Chain chain, List<Invocation> invocations,
                                    List<String> extraFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(FunctionImage.flags(archive));
        if (extraFlags.contains("-Xshare:off")) {
            command.remove("-Xshare:on");
        }
        command.addAll(extraFlags);
        for (String flag : layout.jvmFlags()) {
            if (flag.startsWith("!")) {
                command.remove(flag.substring(1));
            } else {
                command.add(flag);
            }
        }
        command.add("-XX:MaxRAM=" + f.memoryMb() + "m");
        command.addAll(List.of("-cp", archivedClasspath(layout, f) + java.io.File.pathSeparator + layout.driverClasses(),
                FnDriver.class.getName(), f.handler()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(chain.environment(f));
        builder.directory(layout.work().toFile());
        return measure(f.name(), builder, invocations);
    }

    /** One request to a function: its headers and body. */
    record Invocation(Map<String, String> headers, byte[] body) {
    }

    private static Sample measure(String name, ProcessBuilder builder, List<Invocation> invocations) throws Exception {
        Path log = Files.createTempFile("fusion-extract-coldstart-" + name, ".log");
        builder.redirectError(log.toFile());
        long spawned = System.currentTimeMillis();
        Process process = builder.start();
        try {
            OutputStream in = process.getOutputStream();
            InputStream answers = process.getInputStream();
            long[] first = invoke(name, in, answers, invocations.get(0), log);
            double cpu = ProcessStats.cpuSeconds(process.toHandle());
            long[] second = invoke(name, in, answers, invocations.get(1), log);
            double rss = ProcessStats.statusField(process.toHandle(), "VmHWM") / 1024.0; // peak RSS
            in.write("EXIT\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not exit: see " + log);
            }
            Files.deleteIfExists(log);
            return new Sample(name, (first[0] - spawned) / 1000.0, (first[2] - first[1]) / 1000.0, (first[3] - first[2]) / 1000.0,
                    (first[3] - spawned) / 1000.0, cpu, rss, (second[3] - second[1]) / 1000.0);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Sends one request, reads its answer; returns the driver's times (entered, read, configured, answered). */
    private static long[] invoke(String name, OutputStream in, InputStream answers, Invocation invocation, Path log) throws IOException {
        StringBuilder head = new StringBuilder("INVOKE " + invocation.body().length + "\n");
        invocation.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append('\n'));
        head.append('\n');
        in.write(head.toString().getBytes(StandardCharsets.UTF_8));
        in.write(invocation.body());
        in.flush();
        String line = FnDriver.readLine(answers);
        while (line != null && !line.startsWith("DONE ")) {
            line = FnDriver.readLine(answers); // what the JVM itself prints on stdout (a -XX:StartFlightRecording notice, say)
        }
        if (line == null) {
            throw new IllegalStateException(name + " gave no answer: see " + log);
        }
        String[] parts = line.split(" ");
        byte[] body = answers.readNBytes(Integer.parseInt(parts[6]));
        if (!parts[1].equals("Success")) {
            throw new IllegalStateException(name + " answered " + parts[1] + ": " + new String(body, StandardCharsets.UTF_8) + " (log: " + log + ")");
        }
        return new long[]{Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[5])};
    }



    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The warm emulators, what the functions' configuration says about them, and the messages they publish. */
    static final class Chain implements AutoCloseable {
        private final LocalStack stack;
        private final Map<String, String> resourcePrincipal;
        private final Map<String, BlockingQueue<PublishedMessage>> published = new LinkedHashMap<>();

        Chain(Path work, int transferMib) throws Exception {
            stack = new LocalStack(work.resolve("stack"));
            stack.fusion.defineExtract(ExtractDefinition.named(EXTRACT)
                    .output(new OutputSpec(1, List.of("suppliers"), (long) transferMib << 20, 11, ZipVariant.DEFLATED, true))
                    .script("SUCCEEDED"));
            resourcePrincipal = ResourcePrincipalFiles.environment(Files.createDirectories(work.resolve("rp")),
                    PemKeys.newRsaKeyPair(), Instant.now().plusSeconds(6 * 3600));
            for (String topic : List.of(LocalStack.POLL_TOPIC, LocalStack.TRANSFER_TOPIC)) {
                BlockingQueue<PublishedMessage> queue = new LinkedBlockingQueue<>();
                published.put(topic, queue);
                stack.oci.notifications().subscribe(topic, queue::add);
            }
        }

        /**
         * What Fn gives a function as environment: its configuration (the keys infra sets: resource principal
         * authentication, the namespace, metrics on) and the resource principal OCI Functions provides.
         */
        Map<String, String> environment(Function f) {
            Map<String, String> env = new LinkedHashMap<>(stack.settings());
            env.remove("OCI_AUTH");
            env.remove("OCI_CONFIG_FILE");
            env.remove("POLL_INTERVAL_SECONDS");
            env.remove("POLL_MAX_INTERVAL_SECONDS");
            env.remove("UPLOAD_PART_SIZE_MIB");
            env.put("OCI_NAMESPACE", stack.oci.objectStorage().namespace());
            env.put("OCI_MONITORING_ENDPOINT", stack.oci.endpoint().toString());
            env.put("METRICS_COMPARTMENT_OCID", "ocid1.compartment.oc1..coldstart");
            env.put("LOG_LEVEL", "INFO");
            env.putAll(resourcePrincipal);
            env.put("FN_APP_NAME", "fusion-extract");
            env.put("FN_FN_NAME", f.name());
            env.put("FN_MEMORY", String.valueOf(f.memoryMb()));
            env.put("FN_FORMAT", "http-stream");
            return env;
        }

        /**
         * A function's two invocations of runs {@code a} and {@code b}, each the stage before it published: submit gets
         * direct requests, poll the POLL messages submit published, transfer the TRANSFER messages poll published.
         */
        List<Invocation> inputs(Function f, String a, String b) throws InterruptedException {
            return switch (f.name()) {
                case "submit-function" -> List.of(request(a), request(b));
                case "poll-function" -> List.of(next(LocalStack.POLL_TOPIC), next(LocalStack.POLL_TOPIC));
                case "transfer-function" -> {
                    List<Invocation> transfers = List.of(next(LocalStack.TRANSFER_TOPIC), next(LocalStack.TRANSFER_TOPIC));
                    // The jobs' ZIPs exist before transfer starts, as on a pod; the simulator would make them on first listing.
                    stack.fusion.prepareOutputs();
                    yield transfers;
                }
                default -> throw new IllegalArgumentException(f.name());
            };
        }

        Invocation request(String runId) {
            return new Invocation(Map.of("Content-Type", "application/json"), ("{\"extractName\":\"" + EXTRACT
                    + "\",\"mode\":\"FULL\",\"landingPrefix\":\"coldstart\",\"runId\":\"" + runId + "\"}").getBytes(StandardCharsets.UTF_8));
        }

        /** The next message published to {@code topic}, as Notifications delivers it to a function. */
        Invocation next(String topic) throws InterruptedException {
            PublishedMessage message = published.get(topic).poll(30, TimeUnit.SECONDS);
            if (message == null) {
                throw new IllegalStateException("nothing was published to " + topic);
            }
            return new Invocation(Map.of("Content-Type", "text/plain", "X-OCI-NS-MessageId", message.messageId(),
                    "X-OCI-NS-TopicOcid", topic), message.body().getBytes(StandardCharsets.UTF_8));
        }

        /** A benchmark that measured a chain which did not land would measure nothing: check the run's record. */
        void checkLanded(String runId) throws IOException {
            JsonNode record = JSON.readTree(stack.oci.objectStorage().object(LocalStack.CONTROL, "runs/" + runId + ".json")
                    .orElseThrow(() -> new IllegalStateException("run " + runId + " has no record")).content());
            if (!record.path("state").asText().equals("LANDED")) {
                throw new IllegalStateException("run " + runId + " ended " + record.path("state").asText() + ": "
                        + record.path("reason").asText());
            }
        }

        @Override
        public void close() {
            stack.close();
        }
    }

    static String table(Map<String, List<Sample>> results, List<Function> functions, int samples, String images, int transferMib,
                        List<String> jvmFlags) {
        Map<String, Integer> memory = new LinkedHashMap<>();
        functions.forEach(f -> memory.put(f.name(), f.memoryMb()));
        double hello = median(results.get("hello-world").stream().map(Sample::firstResponse).toList());
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d samples each, medians (fastest–slowest); %s%s; transfer job %d MiB%n", samples,
                images, jvmFlags.isEmpty() ? "" : ", JVM flags changed: " + String.join(" ", jvmFlags), transferMib));
        out.append("| | memory MB | first response s | × hello-world | JVM start s | configuration s | first invocation s | CPU s | peak RSS MiB | warm invocation s |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        results.forEach((name, list) -> {
            List<Double> first = list.stream().map(Sample::firstResponse).sorted(Comparator.naturalOrder()).toList();
            out.append(String.format(Locale.ROOT, "| %s | %s | %.2f (%.2f–%.2f) | %.1f | %.2f | %.2f | %.2f | %.2f | %.0f | %.3f |%n", name,
                    memory.containsKey(name) ? memory.get(name).toString() : "-", median(first), first.get(0), first.get(first.size() - 1),
                    median(first) / hello, median(list.stream().map(Sample::jvmStart).toList()),
                    median(list.stream().map(Sample::configuration).toList()), median(list.stream().map(Sample::firstInvocation).toList()),
                    median(list.stream().map(Sample::cpuSeconds).toList()), median(list.stream().map(Sample::peakRssMib).toList()),
                    median(list.stream().map(Sample::warm).toList())));
        });
        return out.toString();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
