package dev.fusionextract.objectstore;

import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.emulator.oci.StoredObject;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.retry.RetryPolicy;
import dev.fusionextract.testing.OciFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingObjectWriterTest {

    private static final int PART = 64 * 1024;
    private static final int IN_FLIGHT = 3;
    private static final String B = OciFixture.LANDING;

    private final OciFixture fx = new OciFixture(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(30)));
    private final ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    /** Buffers start at 4 KiB, so every size below crosses the growth to a whole part in some buffer. */
    private static final int FIRST = 4 * 1024;
    private final PartBuffers buffers = new PartBuffers(PART, IN_FLIGHT, FIRST);
    private final StreamingObjectWriter writer = new StreamingObjectWriter(fx.clients.objectStorage(), fx.calls, fx.clients.namespace(),
            buffers, pool, JsonLog.discard());

    @AfterEach
    void close() {
        pool.shutdownNow();
        fx.close();
    }

    private static byte[] data(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }

    private static String md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    /** Multipart MD5 computed independently: MD5 of the concatenated binary MD5s of each part, then "-parts". */
    private static String multipartMd5(byte[] bytes, int partSize) throws Exception {
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        int parts = 0;
        for (int offset = 0; offset < bytes.length; offset += partSize) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(bytes, offset, Math.min(partSize, bytes.length - offset));
            md5s.writeBytes(md.digest());
            parts++;
        }
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(md5s.toByteArray())) + "-" + parts;
    }

    private boolean nothingLeft(String name) {
        return fx.oci.objectStorage().object(B, name).isEmpty() && fx.oci.objectStorage().openUploads(B).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, PART - 1, PART})
    void upToOnePartIsASinglePut(int size) throws Exception {
        byte[] bytes = data(size);
        WrittenObject written = writer.write(B, "o", new ByteArrayInputStream(bytes), "text/csv", Map.of("source", "test"));
        StoredObject stored = fx.oci.objectStorage().object(B, "o").orElseThrow();
        assertArrayEquals(bytes, stored.content());
        assertEquals(0, written.parts());
        assertEquals(size, written.size());
        assertEquals(md5(bytes), written.md5());
        assertEquals(md5(bytes), written.storageMd5());
        assertEquals(stored.contentMd5().orElseThrow(), written.storageMd5());
        assertEquals("text/csv", stored.contentType());
        assertEquals(Map.of("source", "test"), stored.metadata());
        assertEquals(0, fx.oci.faults().calls(OciOperation.CREATE_MULTIPART_UPLOAD));
    }

    @ParameterizedTest
    @ValueSource(ints = {PART + 1, 2 * PART, 10 * PART + 12345})
    void moreThanOnePartIsAMultipartUploadWithTheRightMd5s(int size) throws Exception {
        byte[] bytes = data(size);
        WrittenObject written = writer.write(B, "big/o.csv", new ByteArrayInputStream(bytes), "text/csv", Map.of());
        StoredObject stored = fx.oci.objectStorage().object(B, "big/o.csv").orElseThrow();
        assertArrayEquals(bytes, stored.content());
        assertEquals((size + PART - 1) / PART, written.parts());
        assertEquals(md5(bytes), written.md5());
        assertEquals(multipartMd5(bytes, PART), written.storageMd5());
        assertEquals(stored.multipartMd5().orElseThrow(), written.storageMd5());
        assertTrue(fx.oci.objectStorage().openUploads(B).isEmpty());
    }

    @Test
    void aPermanentPartFailureAbortsTheUploadAndLeavesNothing() {
        fx.oci.faults().on(OciOperation.UPLOAD_PART, 3, OciFault.status(400, "InvalidParameter"));
        PermanentException e = assertThrows(PermanentException.class,
                () -> writer.write(B, "o", new ByteArrayInputStream(data(8 * PART)), "text/csv", Map.of()));
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertTrue(nothingLeft("o"));
        assertEquals(1, fx.oci.faults().calls(OciOperation.ABORT_MULTIPART_UPLOAD));
    }

    @Test
    void aPartThatKeepsFailingGivesUpAsRetryableAndLeavesNothing() {
        fx.oci.faults().every(OciOperation.UPLOAD_PART, OciFault.unavailable());
        assertThrows(TransientException.class, () -> writer.write(B, "o", new ByteArrayInputStream(data(4 * PART)), "text/csv", Map.of()));
        fx.oci.faults().clear();
        assertTrue(nothingLeft("o"));
    }

    @Test
    void aResetPartIsRetriedAndTheObjectIsWhole() throws Exception {
        fx.oci.faults().on(OciOperation.UPLOAD_PART, 2, OciFault.reset()).on(OciOperation.UPLOAD_PART, 4, OciFault.unavailable());
        byte[] bytes = data(5 * PART);
        WrittenObject written = writer.write(B, "o", new ByteArrayInputStream(bytes), "text/csv", Map.of());
        assertArrayEquals(bytes, fx.oci.objectStorage().object(B, "o").orElseThrow().content());
        assertEquals(multipartMd5(bytes, PART), written.storageMd5());
    }

    @Test
    void aCommitWhoseAnswerIsLostIsRecognisedOnTheRetry() throws Exception {
        // The emulator commits, then drops the connection: the retry finds no upload, and the writer
        // checks that the object there is the one it sent.
        fx.oci.faults().next(OciOperation.COMMIT_MULTIPART_UPLOAD, OciFault.dropAnswer());
        byte[] bytes = data(3 * PART);
        WrittenObject written = writer.write(B, "o", new ByteArrayInputStream(bytes), "text/csv", Map.of());
        assertArrayEquals(bytes, fx.oci.objectStorage().object(B, "o").orElseThrow().content());
        assertEquals(multipartMd5(bytes, PART), written.storageMd5());
        assertEquals(2, fx.oci.faults().calls(OciOperation.COMMIT_MULTIPART_UPLOAD));
    }

    @Test
    void aFailingCommitAbortsTheUpload() {
        fx.oci.faults().every(OciOperation.COMMIT_MULTIPART_UPLOAD, OciFault.status(400, "InvalidUploadPart"));
        assertThrows(PermanentException.class, () -> writer.write(B, "o", new ByteArrayInputStream(data(3 * PART)), "text/csv", Map.of()));
        fx.oci.faults().clear();
        assertTrue(nothingLeft("o"));
    }

    @Test
    void anInputThatBreaksMidwayAbortsTheUpload() {
        InputStream breaking = new FilterInputStream(new ByteArrayInputStream(data(6 * PART))) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 3L * PART) {
                    throw new IOException("connection reset by peer");
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        TransientException e = assertThrows(TransientException.class, () -> writer.write(B, "o", breaking, "text/csv", Map.of()));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertTrue(nothingLeft("o"));
    }

    @Test
    void neitherClosesTheCallersStreamNorReadsPastItsEnd() {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(data(2 * PART + 7))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        writer.write(B, "o", in, "text/csv", Map.of());
        assertFalse(closed[0]);
    }

    @Test
    void aSmallObjectTouchesOnlyTheFirstSizeOfABufferAndALargerOneGrowsItOnce() throws Exception {
        byte[] small = data(FIRST - 1);
        assertEquals(md5(small), writer.write(B, "small", new ByteArrayInputStream(small), "text/csv", Map.of()).md5());
        assertEquals(FIRST, buffers.bytesAllocated(), "a part's memory is not touched for a small object");
        byte[] exact = data(FIRST);
        assertEquals(md5(exact), writer.write(B, "exact", new ByteArrayInputStream(exact), "text/csv", Map.of()).md5());
        assertEquals(FIRST, buffers.bytesAllocated(), "data that ends with the buffer does not grow it");
        byte[] larger = data(FIRST + 1);
        WrittenObject written = writer.write(B, "larger", new ByteArrayInputStream(larger), "text/csv", Map.of());
        assertEquals(md5(larger), written.md5());
        assertEquals(0, written.parts(), "still one PUT");
        assertEquals(PART, buffers.bytesAllocated(), "grown to a part, in place of the first size");
        assertArrayEquals(larger, fx.oci.objectStorage().object(B, "larger").orElseThrow().content());
    }

    @Test
    void memoryStaysWithinPartSizeTimesPartsInFlightForAnInputTwentyTimesThat() throws Exception {
        fx.oci.faults().every(OciOperation.UPLOAD_PART, OciFault.delay(Duration.ofMillis(5))); // keep parts in flight together
        long bound = (long) PART * IN_FLIGHT;
        int size = (int) (20 * bound);
        byte[] bytes = data(size);
        WrittenObject written = writer.write(B, "o", new ByteArrayInputStream(bytes), "text/csv", Map.of());
        fx.oci.faults().clear();
        assertEquals(md5(bytes), written.md5());
        assertEquals(60, written.parts());
        assertTrue(buffers.bytesAllocated() <= bound, "allocated " + buffers.bytesAllocated() + " > bound " + bound);
        assertEquals(IN_FLIGHT, buffers.peakInUse(), "all buffers were used at once, and never more");
    }

    @Test
    void anAsynchronousWriteHasReadItsInputWhenItReturnsAndCommitsLater() throws Exception {
        fx.oci.faults().every(OciOperation.PUT_OBJECT, OciFault.delay(Duration.ofMillis(200)));
        byte[] bytes = data(PART / 2);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        java.util.concurrent.CompletableFuture<WrittenObject> pending = writer.writeAsync(B, "later", in, "text/csv", Map.of());
        assertEquals(0, in.available(), "the caller's stream is read before the call returns");
        assertFalse(pending.isDone(), "the upload finishes in the background");
        assertEquals(md5(bytes), pending.get(10, java.util.concurrent.TimeUnit.SECONDS).md5());
        fx.oci.faults().clear();
        assertArrayEquals(bytes, fx.oci.objectStorage().object(B, "later").orElseThrow().content());
    }

    @Test
    void aFailedAsynchronousMultipartWriteStillAbortsItsUpload() {
        fx.oci.faults().every(OciOperation.COMMIT_MULTIPART_UPLOAD, OciFault.status(400, "InvalidUploadPart"));
        var pending = writer.writeAsync(B, "o", new ByteArrayInputStream(data(3 * PART)), "text/csv", Map.of());
        java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class, pending::join);
        assertTrue(e.getCause() instanceof PermanentException, String.valueOf(e.getCause()));
        fx.oci.faults().clear();
        assertTrue(nothingLeft("o"));
    }

    @org.junit.jupiter.api.Test
    void aMultipartMd5IsComparedByItsDigestWhateverPartCountSuffixItCarries() {
        org.junit.jupiter.api.Assertions.assertTrue(StreamingObjectWriter.sameDigest("q1w2e3==-4", "q1w2e3=="));
        org.junit.jupiter.api.Assertions.assertTrue(StreamingObjectWriter.sameDigest("q1w2e3==-4", "q1w2e3==-4"));
        org.junit.jupiter.api.Assertions.assertFalse(StreamingObjectWriter.sameDigest("q1w2e3==-4", "z9x8c7==-4"));
    }
}
