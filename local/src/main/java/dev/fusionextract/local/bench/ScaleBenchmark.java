package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.ZipVariant;
import dev.fusionextract.emulator.oci.StoredObject;
import dev.fusionextract.ledger.RunLedger;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.local.LocalStack;
import dev.fusionextract.local.bus.LocalEventBus;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench scale}: one generated extract of many ZIP chunks, landed from the Fusion simulator into the OCI emulator
 * with 1, 2, 4 and 8 transfer workers, the simulator serving each download connection at a fixed rate (what a pod
 * serves one stream; chosen so that the machine measures parallel downloads, not its own CPU). Each worker count runs
 * on a fresh stack; the whole chain runs (submit, poll, transfer) through the local bus, as in the demo.
 */
public final class ScaleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One worker count's run. */
    record Result(int workers, double seconds, int invocations, int messages, long conflicts, int containers, long peakHeapMiB,
                  Map<String, String> landed, JsonNode manifest) {
    }

    private ScaleBenchmark() {
    }

    public static void run(List<Integer> workerCounts, int chunks, int mibPerChunk, long bytesPerSecond, PrintWriter out) throws Exception {
        out.printf("%d ZIP chunks of %d MiB unzipped each, every download connection served at %.1f MiB/s%n", chunks, mibPerChunk,
                bytesPerSecond / 1048576.0);
        out.printf("%-8s %9s %8s %12s %9s %10s %11s %15s %s%n", "workers", "seconds", "speedup", "invocations", "messages", "conflicts",
                "containers", "peak heap MiB", "same objects+manifest");
        Result first = null;
        for (int workers : workerCounts) {
            Result result = once(workers, chunks, mibPerChunk, bytesPerSecond);
            if (first == null) {
                first = result;
            }
            boolean same = result.landed().equals(first.landed()) && result.manifest().equals(first.manifest());
            out.printf("%-8d %9.1f %8.2f %12d %9d %10d %11d %15d %s%n", workers, result.seconds(), first.seconds() / result.seconds(),
                    result.invocations(), result.messages(), result.conflicts(), result.containers(), result.peakHeapMiB(), same ? "yes" : "NO");
            if (!same) {
                out.println("  differs from the first run: " + differences(first, result));
            }
            out.flush();
        }
    }

    /** What a run landed differently from the first one: objects missing, extra or changed, or the manifest. */
    private static String differences(Result first, Result other) {
        List<String> found = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(first.landed().keySet());
        names.addAll(other.landed().keySet());
        for (String name : names) {
            String a = first.landed().get(name);
            String b = other.landed().get(name);
            if (!java.util.Objects.equals(a, b)) {
                found.add(name + ": " + a + " -> " + b);
            }
        }
        if (!first.manifest().equals(other.manifest())) {
            found.add("manifest: " + other.manifest().toString().substring(0, Math.min(400, other.manifest().toString().length())));
        }
        return String.join("; ", found.subList(0, Math.min(found.size(), 5)));
    }

    static Result once(int workers, int chunks, int mibPerChunk, long bytesPerSecond) throws Exception {
        Path work = Files.createTempDirectory("fusion-extract-bench-scale");
        try (LocalStack stack = new LocalStack(work); LocalEventBus bus = new LocalEventBus(LocalEventBus.Options.ociLike())) {
            stack.fusion.defineExtract(ExtractDefinition.named("Ledger").output(new OutputSpec(chunks, List.of("journal_lines", "balances"),
                    (long) chunks * mibPerChunk << 20, 11, ZipVariant.DEFLATED, true)).script("ENQUEUED", "SUCCEEDED"));
            stack.fusion.downloadRate(bytesPerSecond);
            stack.settings().put("TRANSFER_WORKERS", String.valueOf(workers));
            stack.wire(bus);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            stack.oci.objectStorage().put(LocalStack.CONTROL, "requests/ledger.json",
                    "{\"extractName\":\"Ledger\",\"mode\":\"FULL\"}".getBytes(StandardCharsets.UTF_8));
            RunLedger ledger = stack.components(ConfigKey.Reader.CLI).ledger();
            RunRecord run = awaitEnd(stack, ledger, Duration.ofMinutes(30));
            sampler.interrupt();
            if (run.state() != RunState.LANDED) {
                throw new IllegalStateException("the run ended " + run.state() + ": " + run.reason());
            }
            Instant from = run.reachedAt(RunState.TRANSFERRING).orElseThrow();
            Instant to = run.reachedAt(RunState.LANDED).orElseThrow();
            bus.awaitQuiet(Duration.ofSeconds(30));
            int invocations = (int) bus.deliveries().stream().filter(d -> d.route().startsWith("TRANSFER")).count();
            int messages = stack.oci.notifications().messages(LocalStack.TRANSFER_TOPIC).size();
            return new Result(workers, Duration.between(from, to).toMillis() / 1000.0, invocations, messages,
                    stack.oci.objectStorage().conditionalWritesRefused(), stack.transferContainersStarted(), peak.get() >> 20,
                    landed(stack), manifest(stack));
        }
    }

    private static RunRecord awaitEnd(LocalStack stack, RunLedger ledger, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            Optional<String> runId = stack.oci.objectStorage().objectNames(LocalStack.CONTROL).stream().filter(n -> n.startsWith("runs/"))
                    .map(n -> n.substring(5, n.length() - 5)).findFirst();
            Optional<RunRecord> run = runId.flatMap(ledger::read).map(RunLedger.Versioned::record);
            if (run.isPresent() && run.get().state().terminal()) {
                return run.get();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the run did not end within " + timeout);
    }

    /** Every landed object but the manifest: its size and MD5. */
    private static Map<String, String> landed(LocalStack stack) {
        Map<String, String> landed = new TreeMap<>();
        for (String name : stack.oci.objectStorage().objectNames(LocalStack.LANDING)) {
            StoredObject object = stack.oci.objectStorage().object(LocalStack.LANDING, name).orElseThrow();
            if (!name.endsWith("_manifest.json")) {
                landed.put(name, object.size() + " " + object.listedMd5());
            }
        }
        return landed;
    }

    /** The manifest without its landing time (and the run id, which is the request object's ETag and differs per stack). */
    private static JsonNode manifest(LocalStack stack) throws java.io.IOException {
        List<String> manifests = new ArrayList<>(stack.oci.objectStorage().objectNames(LocalStack.LANDING).stream()
                .filter(n -> n.endsWith("_manifest.json")).toList());
        if (manifests.size() != 1) {
            throw new IllegalStateException("expected one manifest, found " + manifests);
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(stack.oci.objectStorage().object(LocalStack.LANDING, manifests.get(0)).orElseThrow()
                .content());
        manifest.remove("landedAt");
        manifest.remove("runId");
        return manifest;
    }
}
