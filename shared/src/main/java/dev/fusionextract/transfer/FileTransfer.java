package dev.fusionextract.transfer;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import dev.fusionextract.failure.ExtractException;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.OutputFile;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.objectstore.StreamingObjectWriter;
import dev.fusionextract.objectstore.WrittenObject;
import dev.fusionextract.oci.OciCalls;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Lands one output file with no staging: download stream (host-pinned, SHA-256 checked at its end) → streaming
 * unzip → each entry through the streaming object writer, measured on the way (size, MD5, CRC-32, CSV rows).
 * A file that is not a ZIP is copied as it is. If anything fails, the objects already written for this file
 * are deleted, so a failed file leaves nothing behind.
 *
 * <p>commons-compress reads what {@code java.util.zip.ZipInputStream} cannot: STORED entries with data
 * descriptors, and ZIP64. Names are read as UTF-8.
 */
public final class FileTransfer {

    private final FusionBatchClient fusion;
    private final StreamingObjectWriter writer;
    private final ObjectStorage objectStorage;
    private final OciCalls calls;
    private final String namespace;
    private final String bucket;
    private final ZipGuard.Limits limits;
    private final JsonLog log;

    public FileTransfer(FusionBatchClient fusion, StreamingObjectWriter writer, ObjectStorage objectStorage, OciCalls calls, String namespace,
                        String bucket, ZipGuard.Limits limits, JsonLog log) {
        this.fusion = fusion;
        this.writer = writer;
        this.objectStorage = objectStorage;
        this.calls = calls;
        this.namespace = namespace;
        this.bucket = bucket;
        this.limits = limits;
        this.log = log;
    }

    /**
     * Lands the file: every object is committed when this returns. Entries are read one after the other while
     * earlier ones still upload; at the end all are awaited, and if any failed, the ones that landed are deleted.
     */
    public RunRecord.LandedFile land(OutputFile file, LandingNames names) {
        List<CompletableFuture<RunRecord.LandedObject>> pending = new ArrayList<>();
        RuntimeException failure = null;
        List<CompletableFuture<Long>> crcs = new ArrayList<>();
        try (InputStream download = fusion.download(file)) {
            CountingInputStream counted = new CountingInputStream(download);
            if (isZip(file)) {
                ZipTail tail = new ZipTail(counted);
                int entries = unzip(file, names, counted, tail, pending, crcs);
                tail.transferTo(OutputStream.nullOutputStream()); // the rest (central directory) passes the checksum too
                tail.check(entries).ifPresent(why -> {
                    throw new ZipGuard.Refused(file.safeName(), why);
                });
            } else {
                String object = names.object(file.safeName());
                refuseReserved(file, object, file.safeName());
                pending.add(copy(file, object, counted, file.safeName(), CompletableFuture.completedFuture(-1L)));
            }
        } catch (IOException e) {
            failure = ZipGuard.Refused.unreadable(file.safeName(), e);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            crcs.forEach(crc -> crc.completeExceptionally(new IllegalStateException("the ZIP was not read to its end")));
        }
        List<RunRecord.LandedObject> written = new ArrayList<>();
        for (CompletableFuture<RunRecord.LandedObject> object : pending) {
            try {
                written.add(object.join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime : e;
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            delete(written);
            throw failure;
        }
        log.info("file landed", "file", file.safeName(), "objects", written.size(), "bytes", file.size());
        return new RunRecord.LandedFile(file.name(), file.size(), file.sha256Hex().orElse(null), List.copyOf(written));
    }

    /** Returns the number of entries read (directories included). */
    private int unzip(OutputFile file, LandingNames names, CountingInputStream zipped, InputStream source,
                      List<CompletableFuture<RunRecord.LandedObject>> pending, List<CompletableFuture<Long>> crcs) throws IOException {
        ZipGuard guard = new ZipGuard(limits, file.safeName(), zipped);
        Set<String> objects = new HashSet<>();
        // commons-compress reads its input 512 bytes at a time: a buffer spares the download layers many small reads.
        ZipArchiveInputStream zip = new ZipArchiveInputStream(new BufferedInputStream(source, 1 << 16), "UTF-8", true, true);
        ZipArchiveEntry entry;
        ZipArchiveEntry previous = null;
        CompletableFuture<Long> previousCrc = null;
        int entries = 0;
        while ((entry = zip.getNextEntry()) != null) {
            entries++;
            // An entry's CRC-32 may come in a data descriptor after its data: final once the next entry is reached.
            if (previousCrc != null) {
                previousCrc.complete(previous.getCrc());
                previousCrc = null;
            }
            // The raw name: commons-compress turns backslashes into slashes in getName(), which would hide them.
            guard.admit(entry.getRawName() == null ? entry.getName() : new String(entry.getRawName(), StandardCharsets.UTF_8));
            if (entry.isDirectory()) {
                continue;
            }
            if (!zip.canReadEntryData(entry)) {
                throw new ZipGuard.Refused(file.safeName(), "entry \"" + entry.getName() + "\" uses a compression method that cannot be read");
            }
            String object = names.object(entry.getName());
            refuseReserved(file, object, entry.getName());
            if (!objects.add(object)) {
                throw new ZipGuard.Refused(file.safeName(), "two entries land as the same object " + object);
            }
            CompletableFuture<Long> crc = new CompletableFuture<>();
            crcs.add(crc);
            pending.add(copy(file, object, guard.entry(zip), entry.getName(), crc));
            previous = entry;
            previousCrc = crc;
        }
        if (previousCrc != null) {
            previousCrc.complete(previous.getCrc());
        }
        return entries;
    }

    /** The names the run writes itself can never be produced by an entry or a file. */
    private static void refuseReserved(OutputFile file, String object, String source) {
        if (LandingNames.isReserved(object)) {
            throw new ZipGuard.Refused(file.safeName(), "\"" + source + "\" would land as " + object + ", a name the run writes itself",
                    "Rename it in the extract definition; nothing of the run stays landed.");
        }
    }

    /**
     * Streams one entry (or a whole non-ZIP file) into its object; returns when the data has been read, with the
     * upload still finishing. The content is measured beside the upload; a ZIP entry's measured CRC-32 must match
     * the one the ZIP records (known once the data is read, for entries with a data descriptor), or the object
     * fails, and with it the file.
     */
    private CompletableFuture<RunRecord.LandedObject> copy(OutputFile file, String object, InputStream data, String entry,
                                                          CompletableFuture<Long> recordedCrc) {
        EntryMeter meter = new EntryMeter(entry.toLowerCase(Locale.ROOT).endsWith(".csv"));
        CompletableFuture<WrittenObject> upload = writer.writeAsync(bucket, object, data, contentType(entry),
                Map.of("source-file", file.safeName()), meter);
        return upload.thenCompose(w -> recordedCrc.handle((listed, unread) -> {
            String crc = Long.toHexString(meter.crc32());
            if (unread != null) {
                deleteObject(w.name());
                throw new ZipGuard.Refused(file.safeName(), "entry \"" + entry + "\" could not be checked: " + unread.getMessage());
            }
            if (listed != -1 && !Long.toHexString(listed).equals(crc)) {
                deleteObject(w.name());
                throw new ZipGuard.Refused(file.safeName(), "entry \"" + entry + "\" has CRC-32 " + crc + " but the ZIP says "
                        + Long.toHexString(listed) + ": the file is damaged");
            }
            return new RunRecord.LandedObject(object, w.size(), w.md5(), w.storageMd5(), entry, crc, meter.rows());
        }));
    }

    /** Deletes objects (404 counts as deleted); what cannot be deleted is logged, never hidden. */
    public void delete(List<RunRecord.LandedObject> objects) {
        for (RunRecord.LandedObject object : objects) {
            deleteObject(object.name());
        }
    }

    public void deleteObject(String name) {
        try {
            calls.call("Deleting " + bucket + "/" + name, () -> objectStorage.deleteObject(DeleteObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(name).build()));
        } catch (BmcException e) {
            if (e.getStatusCode() != 404) {
                log.error("could not delete an object of a failed file", e, "object", name);
            }
        } catch (ExtractException e) {
            log.error("could not delete an object of a failed file", e, "object", name);
        }
    }

    static boolean isZip(OutputFile file) {
        return file.name().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return "text/csv";
        }
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".mf") || lower.endsWith(".txt")) {
            return "text/plain";
        }
        return "application/octet-stream";
    }
}
