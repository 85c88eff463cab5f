package dev.fusionextract.objectstore;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.CommitMultipartUploadDetails;
import com.oracle.bmc.objectstorage.model.CommitMultipartUploadPartDetails;
import com.oracle.bmc.objectstorage.model.CreateMultipartUploadDetails;
import com.oracle.bmc.objectstorage.requests.AbortMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.CommitMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.CreateMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.requests.UploadPartRequest;
import com.oracle.bmc.objectstorage.responses.CommitMultipartUploadResponse;
import com.oracle.bmc.objectstorage.responses.HeadObjectResponse;
import com.oracle.bmc.objectstorage.responses.PutObjectResponse;
import dev.fusionextract.failure.ExtractException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.oci.OciCalls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Writes a stream of unknown length to one object without staging it: up to one part size it is a single PUT;
 * beyond, a multipart upload of fixed-size parts, each sent with its MD5, a bounded number in flight. Memory
 * is the {@link PartBuffers} and nothing else; nothing touches disk. Any failure aborts the multipart upload,
 * so a failed write leaves no object and no open upload. The input stream is read to its end but not closed:
 * it belongs to the caller (a ZIP entry stream must stay open for the next entry).
 *
 * <p>The SDK's {@code UploadManager} is not used on purpose: it needs the length up front, closes the stream
 * it is given, and buffers whole non-markable streams in memory.
 */
public final class StreamingObjectWriter {

    private record UploadedPart(int number, String etag, byte[] md5) {
    }

    /**
     * Sees an object's bytes in order, one piece at a time, on an upload thread (never two pieces at once): what
     * must be computed over the whole content (MD5, CRC-32, row counts) runs beside the uploads, not on the
     * thread that reads the input.
     */
    @FunctionalInterface
    public interface ContentObserver {
        void update(byte[] bytes, int offset, int length);
    }

    /** The in-order steps over one object's content: each runs after the one before, on the upload pool. */
    private final class Ordered {
        private final MessageDigest whole = StreamingObjectWriter.md5();
        private final ContentObserver observer;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        Ordered(ContentObserver observer) {
            this.observer = observer;
        }

        CompletableFuture<Void> see(byte[] buffer, int length) {
            tail = tail.thenRunAsync(() -> run(buffer, length), uploads);
            return tail;
        }

        void run(byte[] buffer, int length) {
            whole.update(buffer, 0, length);
            if (observer != null) {
                observer.update(buffer, 0, length);
            }
        }

        String contentMd5() {
            return Base64.getEncoder().encodeToString(whole.digest());
        }
    }

    private final ObjectStorage client;
    private final OciCalls calls;
    private final String namespace;
    private final PartBuffers buffers;
    private final Executor uploads;
    private final JsonLog log;

    public StreamingObjectWriter(ObjectStorage client, OciCalls calls, String namespace, PartBuffers buffers, Executor uploads, JsonLog log) {
        this.client = client;
        this.calls = calls;
        this.namespace = namespace;
        this.buffers = buffers;
        this.uploads = uploads;
        this.log = log;
    }

    public WrittenObject write(String bucket, String name, InputStream data, String contentType, Map<String, String> metadata) {
        return join(writeAsync(bucket, name, data, contentType, metadata));
    }

    /**
     * Reads {@code data} to its end, then finishes the upload in the background: the returned future completes
     * when the object is committed (or fails after the upload was aborted). The caller can read its next stream
     * meanwhile; memory stays bounded by the part buffers, which the reading waits for.
     */
    public CompletableFuture<WrittenObject> writeAsync(String bucket, String name, InputStream data, String contentType,
                                                      Map<String, String> metadata) {
        return writeAsync(bucket, name, data, contentType, metadata, null);
    }

    /** As {@link #writeAsync(String, String, InputStream, String, Map)}, with an observer of the content, in order. */
    public CompletableFuture<WrittenObject> writeAsync(String bucket, String name, InputStream data, String contentType,
                                                      Map<String, String> metadata, ContentObserver observer) {
        // One byte of look-ahead, to tell a stream of exactly one part size from a longer one. The writer reads
        // its input to the end, so the pushed-back byte never outlives this call.
        PushbackInputStream in = new PushbackInputStream(data, 1);
        Ordered ordered = new Ordered(observer);
        Filled first = fill(in, take());
        boolean single;
        try {
            single = first.length() < first.buffer().length || atEnd(in);
        } catch (RuntimeException e) {
            buffers.give(first.buffer());
            throw e;
        }
        if (single) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    ordered.run(first.buffer(), first.length());
                    return putObject(bucket, name, first.buffer(), first.length(), ordered.contentMd5(), contentType, metadata);
                } finally {
                    buffers.give(first.buffer());
                }
            }, uploads);
        }
        return multipart(bucket, name, in, first.buffer(), ordered, contentType, metadata);
    }

    private WrittenObject putObject(String bucket, String name, byte[] buffer, int length, String md5, String contentType,
                                    Map<String, String> metadata) {
        try {
            PutObjectResponse response = calls.call("Writing " + bucket + "/" + name, () -> client.putObject(PutObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(name)
                    .contentLength((long) length).contentMD5(md5).contentType(contentType).opcMeta(metadata)
                    .putObjectBody(new ByteArrayInputStream(buffer, 0, length))
                    .build()));
            return new WrittenObject(bucket, name, length, md5, response.getOpcContentMd5(), response.getETag(), 0);
        } catch (BmcException e) {
            throw failure("Writing " + bucket + "/" + name, e);
        }
    }

    private CompletableFuture<WrittenObject> multipart(String bucket, String name, PushbackInputStream in, byte[] first, Ordered ordered,
                                                       String contentType, Map<String, String> metadata) {
        String what = "Uploading " + bucket + "/" + name;
        String uploadId;
        try {
            uploadId = calls.call(what, () -> client.createMultipartUpload(CreateMultipartUploadRequest.builder()
                    .namespaceName(namespace).bucketName(bucket)
                    .createMultipartUploadDetails(CreateMultipartUploadDetails.builder()
                            .object(name).contentType(contentType).metadata(metadata).build())
                    .build())).getMultipartUpload().getUploadId();
        } catch (RuntimeException e) {
            buffers.give(first);
            throw e instanceof BmcException bmc ? failure(what, bmc) : e;
        }
        List<CompletableFuture<UploadedPart>> parts = new ArrayList<>();
        long size = first.length;
        try {
            parts.add(upload(bucket, name, uploadId, 1, first, first.length, ordered));
            while (true) {
                failFast(parts);
                Filled filled = fill(in, take());
                byte[] buffer = filled.buffer();
                int n = filled.length();
                if (n == 0) {
                    buffers.give(buffer);
                    break;
                }
                size += n;
                parts.add(upload(bucket, name, uploadId, parts.size() + 1, buffer, n, ordered));
                if (n < buffer.length) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            abort(bucket, name, uploadId, parts);
            throw e instanceof BmcException bmc ? failure(what, bmc) : e;
        }
        long total = size;
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApplyAsync(ignored -> {
            List<UploadedPart> done = new ArrayList<>();
            for (CompletableFuture<UploadedPart> part : parts) {
                done.add(part.join());
            }
            done.sort(Comparator.comparingInt(UploadedPart::number));
            String expected = multipartMd5(done);
            try {
                String etag = commit(bucket, name, uploadId, done, expected);
                log.debug("object written", "bucket", bucket, "object", name, "size", total, "parts", done.size());
                return new WrittenObject(bucket, name, total, ordered.contentMd5(), expected, etag, done.size());
            } catch (BmcException e) {
                throw failure(what, e);
            }
        }, uploads).whenComplete((written, error) -> {
            if (error != null) {
                abort(bucket, name, uploadId, parts);
            }
        });
    }

    /**
     * Commits and returns the object's ETag. A commit whose answer was lost is retried and then finds no upload:
     * any 404 (OCI documents no code of its own for a committed upload) leads to a HEAD of the object, which is
     * ours when its multipart MD5 has the digest of the parts sent. Only the digest is compared: the SDK documents
     * the "-<parts>" suffix for the commit's answer only.
     */
    private String commit(String bucket, String name, String uploadId, List<UploadedPart> parts, String expected) {
        try {
            CommitMultipartUploadResponse committed = calls.call("Committing " + bucket + "/" + name,
                    () -> client.commitMultipartUpload(CommitMultipartUploadRequest.builder()
                            .namespaceName(namespace).bucketName(bucket).objectName(name).uploadId(uploadId)
                            .commitMultipartUploadDetails(CommitMultipartUploadDetails.builder()
                                    .partsToCommit(parts.stream().map(p -> CommitMultipartUploadPartDetails.builder()
                                            .partNum(p.number()).etag(p.etag()).build()).toList())
                                    .build())
                            .build()));
            if (committed.getOpcMultipartMd5() != null && !sameDigest(expected, committed.getOpcMultipartMd5())) {
                throw new PermanentException("Uploading " + bucket + "/" + name + ": Object Storage reports multipart MD5 "
                        + committed.getOpcMultipartMd5() + " but the parts sent give " + expected + ".");
            }
            return committed.getETag();
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                try {
                    HeadObjectResponse head = calls.call("Checking " + bucket + "/" + name, () -> client.headObject(HeadObjectRequest.builder()
                            .namespaceName(namespace).bucketName(bucket).objectName(name).build()));
                    if (head.getOpcMultipartMd5() != null && sameDigest(expected, head.getOpcMultipartMd5())) {
                        return head.getETag();
                    }
                } catch (BmcException missing) {
                    if (missing.getStatusCode() != 404) {
                        throw missing;
                    }
                }
            }
            throw e;
        }
    }

    /**
     * Uploads one part while the in-order step sees the same buffer; the buffer goes back to the pool when both
     * are done. The part's future completes after both, so the object is committed only once it was all seen.
     */
    private CompletableFuture<UploadedPart> upload(String bucket, String name, String uploadId, int number, byte[] buffer, int length,
                                                   Ordered ordered) {
        CompletableFuture<Void> seen = ordered.see(buffer, length);
        CompletableFuture<UploadedPart> sent = CompletableFuture.supplyAsync(() -> {
            try {
                MessageDigest digest = md5();
                digest.update(buffer, 0, length);
                byte[] partMd5 = digest.digest();
                String etag = calls.call("Uploading part " + number + " of " + bucket + "/" + name,
                        () -> client.uploadPart(UploadPartRequest.builder()
                                .namespaceName(namespace).bucketName(bucket).objectName(name).uploadId(uploadId)
                                .uploadPartNum(number).contentLength((long) length)
                                .contentMD5(Base64.getEncoder().encodeToString(partMd5))
                                .uploadPartBody(new ByteArrayInputStream(buffer, 0, length))
                                .build())).getETag();
                return new UploadedPart(number, etag, partMd5);
            } catch (BmcException e) {
                throw failure("Uploading part " + number + " of " + bucket + "/" + name, e);
            }
        }, uploads);
        return sent.thenCombine(seen, (part, ignored) -> part).whenComplete((part, error) -> {
            // Given back only when neither the upload nor the in-order step still reads it.
            CompletableFuture.allOf(sent, seen).handle((v, e) -> {
                buffers.give(buffer);
                return null;
            });
        });
    }

    /** Stops reading early once a part has failed. */
    private static void failFast(List<CompletableFuture<UploadedPart>> parts) {
        for (CompletableFuture<UploadedPart> part : parts) {
            if (part.isCompletedExceptionally()) {
                join(part);
            }
        }
    }

    private void abort(String bucket, String name, String uploadId, List<CompletableFuture<UploadedPart>> parts) {
        for (CompletableFuture<UploadedPart> part : parts) {
            try {
                part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | CancellationException e) {
                // already reported by the caller's failure
            }
        }
        try {
            calls.call("Aborting the upload of " + bucket + "/" + name, () -> client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(name).uploadId(uploadId).build()));
        } catch (RuntimeException e) {
            // A lifecycle rule on the bucket removes uploads left open; log so a person can see it happened.
            log.warn("could not abort a failed multipart upload", "bucket", bucket, "object", name, "error", e.getMessage());
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Whether two multipart MD5s have the same digest, whatever "-<parts>" suffix either carries. */
    static boolean sameDigest(String a, String b) {
        return a.replaceFirst("-\\d+$", "").equals(b.replaceFirst("-\\d+$", ""));
    }

    static String multipartMd5(List<UploadedPart> parts) {
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        for (UploadedPart part : parts) {
            md5s.writeBytes(part.md5());
        }
        return Base64.getEncoder().encodeToString(md5().digest(md5s.toByteArray())) + "-" + parts.size();
    }

    /** A buffer and how much of it holds data. */
    private record Filled(byte[] buffer, int length) {
    }

    /**
     * Reads until the buffer is full or the stream ends. A buffer smaller than a part that fills up while the data
     * goes on is grown to the part size and filled further, so a full buffer is a whole part, or the whole object.
     * If reading fails, the buffer (as grown) goes back to the pool.
     */
    private Filled fill(PushbackInputStream in, byte[] taken) {
        byte[] buffer = taken;
        try {
            int n = readFully(in, buffer, 0);
            if (n == buffer.length && buffer.length < buffers.size() && !atEnd(in)) {
                buffer = buffers.grow(buffer);
                n = readFully(in, buffer, n);
            }
            return new Filled(buffer, n);
        } catch (RuntimeException e) {
            buffers.give(buffer);
            throw e;
        }
    }

    /** Reads from {@code from} until the buffer is full or the stream ends; returns the bytes in it. */
    private static int readFully(InputStream in, byte[] buffer, int from) {
        int total = from;
        try {
            while (total < buffer.length) {
                int n = in.read(buffer, total, buffer.length - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("Reading the data to upload was interrupted", e);
        } catch (IOException e) {
            throw new TransientException("Reading the data to upload failed: " + e.getMessage(), e);
        }
        return total;
    }

    /** Whether the stream has ended, looking ahead without consuming (a full first buffer may be the whole object). */
    private static boolean atEnd(PushbackInputStream in) {
        try {
            int next = in.read();
            if (next < 0) {
                return true;
            }
            in.unread(next);
            return false;
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("Reading the data to upload was interrupted", e);
        } catch (IOException e) {
            throw new TransientException("Reading the data to upload failed: " + e.getMessage(), e);
        }
    }

    private byte[] take() {
        try {
            return buffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("Interrupted while waiting for an upload buffer", e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refusal that retrying cannot change (retryable failures arrive as {@link TransientException}s from {@link OciCalls}). */
    static ExtractException failure(String what, BmcException e) {
        String message = what + " failed with HTTP " + e.getStatusCode() + " (" + e.getServiceCode() + ")";
        return OciCalls.retryable(e) ? new TransientException(message + "; try again later.", e) : new PermanentException(message
                + ": check that the bucket exists and that the functions' policy lets them manage objects in it.", e);
    }
}
