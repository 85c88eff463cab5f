package dev.fusionextract.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.config.Configuration;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.fusion.OutputFile;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.objectstore.StreamingObjectWriter;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.retry.Sleeper;
import dev.fusionextract.transfer.FileTransfer;
import dev.fusionextract.transfer.LandingNames;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One benchmark path in its own JVM, so that its memory is its own: reads the settings the parent wrote,
 * runs the path, prints one {@code RESULT {json}} line with what it measured.
 */
public final class BenchWorker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchWorker() {
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        JsonNode setup = JSON.readTree(Path.of(args[1]).toFile());
        Map<String, String> settings = JSON.convertValue(setup.path("settings"), JSON.getTypeFactory()
                .constructMapType(Map.class, String.class, String.class));
        Configuration config = Configuration.load(ConfigSource.of(settings), ConfigKey.Reader.CLI);
        JsonLog log = JsonLog.discard();
        AtomicLong heapPeak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                heapPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long diskBefore = ProcessStats.ioCounter("write_bytes");
        try (Components components = new Components(config, OciClients.authentication(config.oci(), Map.of()), Clock.systemUTC(),
                Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble(), log)) {
            FusionBatchClient fusion = components.fusion();
            JobRequestId job = new JobRequestId(setup.path("jobId").asText());
            List<OutputFile> files = fusion.outputFiles(job);
            String bucket = config.pipeline().landingBucket().orElseThrow();
            components.writer(); // clients and buffers are made before the clock starts, for every path alike
            long start = System.nanoTime();
            long bytes = switch (path) {
                case "streaming" -> streaming(components, files, job);
                case "staged" -> staged(components, fusion, files, bucket, Path.of(setup.path("tmp").asText()));
                case "limit" -> limit(components, fusion, files, bucket, setup.path("entryBytes"));
                default -> throw new IllegalArgumentException("unknown path " + path);
            };
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            ObjectNode result = JSON.createObjectNode();
            result.put("path", path);
            result.put("unzippedBytes", bytes);
            result.put("seconds", seconds);
            result.put("heapPeakBytes", heapPeak.get());
            result.put("rssPeakBytes", ProcessStats.statusField(ProcessHandle.current(), "VmHWM") * 1024);
            result.put("diskWrittenBytes", ProcessStats.ioCounter("write_bytes") - diskBefore);
            result.put("cpuSeconds", ProcessStats.cpuSeconds(ProcessHandle.current()));
            System.out.println("RESULT " + result);
        }
    }

    /** This project's path, as transfer-function lands a job: download stream → unzip → streaming object writer, file by file. */
    private static long streaming(Components components, List<OutputFile> files, JobRequestId job) throws Exception {
        FileTransfer transfer = components.fileTransfer();
        LandingNames names = LandingNames.of("bench/streaming", "Bench", LocalDate.now(), job.value());
        long bytes = 0;
        for (OutputFile file : files) {
            bytes += transfer.land(file, names).objects().stream().mapToLong(RunRecord.LandedObject::size).sum();
        }
        return bytes;
    }

    /** The hand-run pipeline: each ZIP to a temp file, unzipped to a temp folder, then each file uploaded. */
    private static long staged(Components components, FusionBatchClient fusion, List<OutputFile> files, String bucket, Path tmp)
            throws IOException {
        StreamingObjectWriter writer = components.writer();
        Files.createDirectories(tmp);
        long bytes = 0;
        for (OutputFile file : files) {
            Path zip = tmp.resolve(file.safeName());
            try (InputStream in = fusion.download(file)) {
                Files.copy(in, zip);
            }
            Path folder = Files.createDirectories(tmp.resolve(file.safeName() + ".d"));
            try (ZipFile archive = ZipFile.builder().setPath(zip).get()) {
                for (ZipArchiveEntry entry : Collections.list(archive.getEntries())) {
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, folder.resolve(entry.getName().replace('/', '_')));
                    }
                }
            }
            try (Stream<Path> unzipped = Files.list(folder)) {
                for (Iterator<Path> it = unzipped.sorted().iterator(); it.hasNext(); ) {
                    Path entry = it.next();
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(entry), 1 << 16)) {
                        bytes += writer.write(bucket, "bench/staged/" + file.safeName() + "/" + entry.getFileName(), in, "text/csv", Map.of()).size();
                    }
                    Files.delete(entry);
                }
            }
            Files.delete(folder);
            Files.delete(zip);
        }
        return bytes;
    }

    /** What the machine can do: the same ZIP bytes downloaded and thrown away, then the same unzipped bytes uploaded. */
    private static long limit(Components components, FusionBatchClient fusion, List<OutputFile> files, String bucket, JsonNode entryBytes)
            throws IOException {
        for (OutputFile file : files) {
            try (InputStream in = fusion.download(file)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        StreamingObjectWriter writer = components.writer();
        long bytes = 0;
        int i = 0;
        for (JsonNode size : entryBytes) {
            bytes += writer.write(bucket, "bench/limit/" + (i++) + ".csv", new PatternStream(size.asLong()), "text/csv", Map.of()).size();
        }
        return bytes;
    }

    /** {@code length} bytes of a repeated CSV-like line, made on the fly. */
    private static final class PatternStream extends InputStream {
        private static final byte[] LINE = "1234,ABCDEFGH,\"Acme Supplies 1234\",1234.56,EUR,2025-12-18T07:42:00Z\n".getBytes();
        private long left;
        private int at;

        PatternStream(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            byte b = LINE[at];
            at = (at + 1) % LINE.length;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = LINE[at];
                at = at + 1 == LINE.length ? 0 : at + 1;
            }
            left -= n;
            return n;
        }
    }
}
