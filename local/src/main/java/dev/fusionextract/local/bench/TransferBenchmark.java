package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.ExtractGenerator;
import dev.fusionextract.emulator.fusion.FusionSimulator;
import dev.fusionextract.emulator.fusion.OutputContent;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.ZipVariant;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.emulator.oci.PemKeys;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transfer benchmark: the same generated extract, served by the Fusion simulator and landed in the OCI
 * emulator on loopback, by three paths, each in its own JVM with a small heap and the FDK run image's
 * {@code -XX:+UseSerialGC}:
 * <ol>
 *   <li>{@code streaming}: this project's path (download stream → unzip → multipart upload, nothing on disk);</li>
 *   <li>{@code staged}: the hand-run pipeline (ZIP to a temp file, unzipped to a temp folder, each file uploaded);</li>
 *   <li>{@code limit}: the machine's limit, the same ZIP bytes downloaded and discarded, then the same unzipped
 *       bytes uploaded, with no unzip in between.</li>
 * </ol>
 * Before the timed rounds, one chunk goes through the emulators untimed, so that no path pays for their JIT
 * warm-up. Each path runs {@code --repeat} rounds, interleaved with the others; its median round is reported,
 * with the highest memory and disk figures of all its rounds.
 * Usage: {@code java -cp local/target/fusion-extract.jar dev.fusionextract.local.bench.TransferBenchmark
 * [--gib 1,4] [--chunks 8] [--tables 4] [--xmx 192m] [--paths streaming,staged,limit] [--repeat 3]
 * [--part-mib 16] [--in-flight 4]}.
 */
public final class TransferBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "ocid1.vaultsecret.oc1.iad.bench";
    private static final String LANDING = "bench-landing";

    private TransferBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--gib", "1,4", "--chunks", "8", "--tables", "4", "--xmx", "192m",
                "--paths", "streaming,staged,limit", "--part-mib", "16", "--in-flight", "4", "--repeat", "3"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet());
            }
            options.put(args[i], args[i + 1]);
        }
        if (Integer.parseInt(options.get("--repeat")) < 1) { // before gigabytes are generated, not after
            throw new IllegalArgumentException("--repeat must be 1 or more, not " + options.get("--repeat"));
        }
        Path work = Files.createTempDirectory("fx-bench");
        List<ObjectNode> results = new ArrayList<>();
        for (String gib : options.get("--gib").split(",")) {
            long bytes = (long) (Double.parseDouble(gib) * (1L << 30));
            results.addAll(runSize(bytes, options, work));
        }
        System.out.println();
        System.out.println(table(results));
    }

    private static List<ObjectNode> runSize(long bytes, Map<String, String> options, Path work) throws Exception {
        List<String> tables = new ArrayList<>();
        for (int t = 1; t <= Integer.parseInt(options.get("--tables")); t++) {
            tables.add("table" + t);
        }
        OutputSpec spec = new OutputSpec(Integer.parseInt(options.get("--chunks")), tables, bytes, 42, ZipVariant.DEFLATED, false);
        long jobId = 44046;
        System.err.printf(Locale.ROOT, "generating %.2f GiB of CSV in %d ZIP chunks...%n", bytes / (double) (1L << 30), spec.chunks());
        List<OutputContent> generated = ExtractGenerator.files(spec, "Bench", jobId);
        List<byte[]> zips = generated.parallelStream().map(TransferBenchmark::bytes).toList();
        List<OutputContent> served = new ArrayList<>();
        List<Long> entrySizes = new ArrayList<>();
        List<Long> firstChunkEntrySizes = new ArrayList<>();
        long zipped = 0;
        for (int i = 0; i < zips.size(); i++) {
            served.add(OutputContent.ofBytes(generated.get(i).name(), zips.get(i)));
            zipped += zips.get(i).length;
            try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zips.get(i))).get()) {
                for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                    entrySizes.add(entry.getSize());
                    if (i == 0) {
                        firstChunkEntrySizes.add(entry.getSize());
                    }
                }
            }
        }
        long unzipped = entrySizes.stream().mapToLong(Long::longValue).sum();
        System.err.printf(Locale.ROOT, "%d entries, %.1f MiB unzipped from %.1f MiB of ZIP%n", entrySizes.size(), unzipped / 1048576.0,
                zipped / 1048576.0);

        KeyPair keys = PemKeys.newRsaKeyPair();
        String keyId = "ocid1.tenancy.oc1..bench/ocid1.user.oc1..bench/00:11:22:33";
        List<ObjectNode> results = new ArrayList<>();
        try (FusionSimulator fusion = FusionSimulator.start(0, Clock.systemUTC());
             OciEmulator oci = OciEmulator.start(0, OciEmulator.DEFAULT_NAMESPACE, Clock.systemUTC())) {
            fusion.idcs().addClient("bench-client", "bench-secret-value");
            fusion.defineExtract(ExtractDefinition.named("Bench").output(OutputSpec.none()).extraFiles(served).script("SUCCEEDED"));
            long job = fusion.createFinishedJob("Bench");
            fusion.defineExtract(ExtractDefinition.named("Warmup").output(OutputSpec.none()).extraFiles(served.subList(0, 1)).script("SUCCEEDED"));
            long warmupJob = fusion.createFinishedJob("Warmup");
            oci.trustApiKey(keyId, keys.getPublic());
            oci.objectStorage().discardContent(true).createBucket(LANDING).createBucket("bench-control");
            oci.secrets().put(SECRET, ("{\"clientId\":\"bench-client\",\"clientSecret\":\"bench-secret-value\",\"scope\":\""
                    + fusion.batchScope() + "\"}").getBytes(StandardCharsets.UTF_8));
            Path setup = writeSetup(work, "setup.json", fusion, oci, keys, keyId, job, entrySizes, options);
            // The emulators' JVM compiles its hot paths while the first worker runs; without a warm-up that path
            // would pay for it (about 2 CPU-seconds on the emulators' side). One chunk through two paths, untimed.
            Path warmup = writeSetup(work, "warmup.json", fusion, oci, keys, keyId, warmupJob, firstChunkEntrySizes, options);
            System.err.println("warming up the emulators...");
            runWorker("streaming", warmup, options.get("--xmx"));
            runWorker("limit", warmup, options.get("--xmx"));
            // Rounds of every path in turn, so that a slow spell of the machine falls on all paths alike; each
            // path's median round is reported, with the spread of its rounds.
            Map<String, List<ObjectNode>> rounds = new LinkedHashMap<>();
            int repeat = Integer.parseInt(options.get("--repeat"));
            for (int round = 1; round <= repeat; round++) {
                for (String path : options.get("--paths").split(",")) {
                    System.err.println("running " + path + " (" + round + " of " + repeat + ")...");
                    double emulatorCpu = ProcessStats.cpuSeconds(ProcessHandle.current());
                    ObjectNode result = runWorker(path, setup, options.get("--xmx"));
                    result.put("emulatorCpuSeconds", ProcessStats.cpuSeconds(ProcessHandle.current()) - emulatorCpu);
                    result.put("gib", bytes / (double) (1L << 30));
                    result.put("zippedBytes", zipped);
                    rounds.computeIfAbsent(path, p -> new ArrayList<>()).add(result);
                }
            }
            rounds.values().forEach(r -> results.add(median(r)));
        }
        return results;
    }

    /**
     * The round with the median time (the slower middle one of an even count), with the fastest and slowest
     * times; peak heap, peak RSS and disk written are the highest of all rounds, since they are bounds.
     */
    static ObjectNode median(List<ObjectNode> rounds) {
        List<ObjectNode> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(r -> r.path("seconds").asDouble()));
        ObjectNode median = sorted.get(sorted.size() / 2).deepCopy();
        median.put("rounds", sorted.size());
        median.put("fastestSeconds", sorted.get(0).path("seconds").asDouble());
        median.put("slowestSeconds", sorted.get(sorted.size() - 1).path("seconds").asDouble());
        for (String bound : List.of("heapPeakBytes", "rssPeakBytes", "diskWrittenBytes")) {
            median.put(bound, sorted.stream().mapToLong(r -> r.path(bound).asLong()).max().orElseThrow());
        }
        return median;
    }

    /** CPU time of this process, the emulators' JVM, so far. */
    private static byte[] bytes(OutputContent content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            content.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Path writeSetup(Path work, String name, FusionSimulator fusion, OciEmulator oci, KeyPair keys, String keyId, long job,
                                   List<Long> entrySizes, Map<String, String> options) throws IOException {
        Path config = PemKeys.writeOciConfig(work, keyId, keys.getPrivate());
        Files.writeString(work.resolve("public.pem"), PemKeys.toPem(keys.getPublic()));
        String endpoint = oci.endpoint().toString();
        ObjectNode setup = JSON.createObjectNode();
        ObjectNode settings = setup.putObject("settings");
        Map.ofEntries(
                Map.entry("FUSION_BASE_URL", fusion.baseUri().toString()), Map.entry("IDCS_URL", fusion.baseUri().toString()),
                Map.entry("IDCS_SECRET_OCID", SECRET), Map.entry("OCI_AUTH", "config_file"), Map.entry("OCI_CONFIG_FILE", config.toString()),
                Map.entry("OCI_OBJECT_STORAGE_ENDPOINT", endpoint), Map.entry("OCI_SECRETS_ENDPOINT", endpoint),
                Map.entry("CONTROL_BUCKET", "bench-control"), Map.entry("LANDING_BUCKET", LANDING),
                Map.entry("POLL_TOPIC_OCID", "ocid1.onstopic.oc1.iad.unused"), Map.entry("POLL_TOPIC_ENDPOINT", endpoint),
                Map.entry("TRANSFER_TOPIC_OCID", "ocid1.onstopic.oc1.iad.unused"), Map.entry("TRANSFER_TOPIC_ENDPOINT", endpoint),
                Map.entry("UPLOAD_PART_SIZE_MIB", options.get("--part-mib")), Map.entry("UPLOAD_PARTS_IN_FLIGHT", options.get("--in-flight")),
                Map.entry("ZIP_MAX_UNZIPPED_GIB", String.valueOf(Math.max(1, Integer.parseInt(options.get("--part-mib")) * 10_000L / 1024))),
                Map.entry("LOG_LEVEL", "ERROR")).forEach(settings::put);
        setup.put("jobId", String.valueOf(job));
        setup.put("tmp", work.resolve("staged").toString());
        ArrayNode sizes = setup.putArray("entryBytes");
        entrySizes.forEach(sizes::add);
        Path file = work.resolve(name);
        JSON.writeValue(file.toFile(), setup);
        return file;
    }

    /** A worker JVM with the heap asked for and the collector flags of the FDK run image the functions run in. */
    private static ObjectNode runWorker(String path, Path setup, String xmx) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx" + xmx, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp",
                System.getProperty("java.class.path"), BenchWorker.class.getName(),
                path, setup.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = JSON.readTree(line.substring(7));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the " + path + " worker failed (exit " + exit + ")");
        }
        return (ObjectNode) result;
    }

    static String table(List<ObjectNode> results) {
        StringBuilder out = new StringBuilder();
        out.append("| size | path | seconds | rounds (fastest–slowest s) | MiB/s unzipped | vs limit | vs staged | peak heap MiB | peak RSS MiB | disk written MiB | worker CPU s | emulator CPU s |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (ObjectNode r : results) {
            double rate = r.path("unzippedBytes").asDouble() / 1048576.0 / r.path("seconds").asDouble();
            Double limit = rate(results, r.path("gib").asDouble(), "limit");
            Double staged = rate(results, r.path("gib").asDouble(), "staged");
            out.append(String.format(Locale.ROOT, "| %s GiB | %s | %.1f | %d (%.1f–%.1f) | %.0f | %s | %s | %.0f | %.0f | %.0f | %.1f | %.1f |%n",
                    new java.math.BigDecimal(r.path("gib").asText()).stripTrailingZeros().toPlainString(),
                    r.path("path").asText(), r.path("seconds").asDouble(), r.path("rounds").asInt(1),
                    r.path("fastestSeconds").asDouble(r.path("seconds").asDouble()), r.path("slowestSeconds").asDouble(r.path("seconds").asDouble()), rate,
                    limit == null ? "-" : String.format(Locale.ROOT, "%.2f", rate / limit),
                    staged == null ? "-" : String.format(Locale.ROOT, "%.2f", rate / staged),
                    r.path("heapPeakBytes").asDouble() / 1048576.0, r.path("rssPeakBytes").asDouble() / 1048576.0,
                    r.path("diskWrittenBytes").asDouble() / 1048576.0, r.path("cpuSeconds").asDouble(),
                    r.path("emulatorCpuSeconds").asDouble()));
        }
        return out.toString();
    }

    private static Double rate(List<ObjectNode> results, double gib, String path) {
        return results.stream().filter(r -> r.path("gib").asDouble() == gib && r.path("path").asText().equals(path))
                .map(r -> r.path("unzippedBytes").asDouble() / 1048576.0 / r.path("seconds").asDouble()).findFirst().orElse(null);
    }
}
