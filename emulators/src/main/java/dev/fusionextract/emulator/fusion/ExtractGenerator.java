package dev.fusionextract.emulator.fusion;

import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;

/** Turns an {@link OutputSpec} into a job's output files, named the way Fusion names them. */
public final class ExtractGenerator {

    /** The entry name the ZIP_SLIP variant plants in the first chunk. */
    public static final String SLIP_ENTRY_NAME = "../../escaped.csv";
    private static final long ENTRY_TIME = 1766043730000L; // 2025-12-18T07:42:10Z
    private static final byte[] ZEROS = new byte[64 * 1024];

    private ExtractGenerator() {
    }

    /** One CSV entry of one chunk. */
    public record CsvEntry(String name, long targetBytes, long seed) {
        public long writeTo(OutputStream out) throws IOException {
            return CsvTable.write(out, targetBytes, seed);
        }
    }

    public static List<OutputContent> files(OutputSpec spec, String extractName, long jobId) {
        if (spec.chunks() == 0) {
            return List.of();
        }
        if (spec.variant() == ZipVariant.ZIP_BOMB) {
            return List.of(zip(chunkName(extractName, jobId, 1), spec.variant(), List.of(), bomb(spec.uncompressedBytes())));
        }
        List<List<CsvEntry>> chunks = new ArrayList<>();
        long perEntry = Math.max(CsvTable.HEADER.length, spec.uncompressedBytes() / ((long) spec.chunks() * spec.tables().size()));
        for (int c = 1; c <= spec.chunks(); c++) {
            List<CsvEntry> entries = new ArrayList<>();
            for (int t = 0; t < spec.tables().size(); t++) {
                String table = spec.tables().get(t);
                String name = (spec.variant() == ZipVariant.ZIP_SLIP && c == 1 && t == 0) ? SLIP_ENTRY_NAME : table + "_" + c + ".csv";
                entries.add(new CsvEntry(name, perEntry, spec.seed() * 1_000_003L + jobId * 8191L + c * 131L + t));
            }
            chunks.add(entries);
        }
        List<OutputContent> files = new ArrayList<>();
        for (int c = 1; c <= spec.chunks(); c++) {
            List<Extra> extras = new ArrayList<>();
            if (spec.manifest() && c == spec.chunks()) {
                extras.add(manifest(jobId, chunks));
            }
            files.add(zip(chunkName(extractName, jobId, c), spec.variant(), chunks.get(c - 1), extras));
        }
        return files;
    }

    /** {@code <essId>_S_<extract>_<view>_<timestamp>_<batchJobId>_<chunk>.zip} */
    static String chunkName(String extractName, long jobId, int chunk) {
        return jobId + "_S_" + extractName + "_extract_1763985379675_20251218_074210.849135_" + jobId + "_" + chunk + ".zip";
    }

    /** A non-CSV entry: the manifest, or the bomb's payload. */
    private record Extra(String name, long size, EntryBody body) {
    }

    @FunctionalInterface
    private interface EntryBody {
        void write(OutputStream out) throws IOException;
    }

    private static Extra manifest(long jobId, List<List<CsvEntry>> chunks) {
        StringBuilder lines = new StringBuilder();
        long docId = 300_000_000L + jobId;
        for (List<CsvEntry> chunk : chunks) {
            for (CsvEntry entry : chunk) {
                lines.append(entry.name()).append(';').append(docId++).append(';').append(sha256(entry)).append('\n');
            }
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        return new Extra("MANIFEST_EXTRACT_" + jobId + ".mf", bytes.length, out -> out.write(bytes));
    }

    private static List<Extra> bomb(long size) {
        return List.of(new Extra("zeros.csv", size, out -> {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(ZEROS.length, left);
                out.write(ZEROS, 0, n);
                left -= n;
            }
        }));
    }

    private static String sha256(CsvEntry entry) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                entry.writeTo(sink);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutputContent zip(String name, ZipVariant variant, List<CsvEntry> entries, List<Extra> extras) {
        return new OutputContent() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                OutputStream shielded = new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the caller owns the stream
                    }
                };
                if (variant == ZipVariant.STORED_WITH_DATA_DESCRIPTOR) {
                    StoredDataDescriptorZip zip = new StoredDataDescriptorZip(shielded);
                    for (CsvEntry e : entries) {
                        zip.entry(e.name(), e::writeTo);
                    }
                    for (Extra x : extras) {
                        zip.entry(x.name(), x.body()::write);
                    }
                    zip.finish();
                    return;
                }
                try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(shielded)) {
                    zip.setUseZip64(variant == ZipVariant.ZIP64 ? Zip64Mode.Always : Zip64Mode.AsNeeded);
                    for (CsvEntry e : entries) {
                        zip.putArchiveEntry(entry(e.name()));
                        e.writeTo(zip);
                        zip.closeArchiveEntry();
                    }
                    for (Extra x : extras) {
                        zip.putArchiveEntry(entry(x.name()));
                        x.body().write(zip);
                        zip.closeArchiveEntry();
                    }
                    zip.finish();
                }
            }
        };
    }

    private static ZipArchiveEntry entry(String name) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(ZipEntry.DEFLATED);
        entry.setTime(ENTRY_TIME);
        return entry;
    }
}
