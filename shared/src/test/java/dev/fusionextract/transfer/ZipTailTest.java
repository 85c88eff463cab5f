package dev.fusionextract.transfer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ZIP is complete when it ends with its end-of-central-directory record, whatever pieces it arrives in. */
class ZipTailTest {

    private static byte[] zip(int entries, String comment, int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setComment(comment);
            byte[] data = new byte[size];
            new Random(7).nextBytes(data);
            for (int i = 0; i < entries; i++) {
                zip.putNextEntry(new ZipEntry("e" + i + ".bin"));
                zip.write(data);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Reads {@code bytes} through a tail in random pieces, then checks it. */
    private static Optional<String> check(byte[] bytes, int entries, long seed) throws IOException {
        Random random = new Random(seed);
        ZipTail tail = new ZipTail(new ByteArrayInputStream(bytes));
        byte[] buffer = new byte[200_000];
        while (true) {
            int n = random.nextInt(4) == 0 ? tail.read() : tail.read(buffer, 0, 1 + random.nextInt(buffer.length));
            if (n < 0) {
                break;
            }
        }
        return tail.check(entries);
    }

    @Test
    void aCompleteZipPassesInAnyPiecesWithOrWithoutAComment() throws IOException {
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(Optional.empty(), check(zip(3, "", 50_000), 3, seed));
            assertEquals(Optional.empty(), check(zip(2, "a comment of some length", 90_000), 2, seed));
            assertEquals(Optional.empty(), check(zip(0, "", 0), 0, seed));
        }
    }

    @Test
    void whatDoesNotEndWithTheRecordOrDisagreesWithItFails() throws IOException {
        byte[] whole = zip(3, "", 1_000);
        assertTrue(check(Arrays.copyOf(whole, whole.length - 1), 3, 1).orElseThrow().contains("not a complete ZIP"));
        byte[] trailing = Arrays.copyOf(whole, whole.length + 5);
        assertTrue(check(trailing, 3, 1).orElseThrow().contains("not a complete ZIP"));
        assertTrue(check(new byte[0], 0, 1).orElseThrow().contains("it is empty"));
        assertTrue(check("<html>503</html>".getBytes(StandardCharsets.UTF_8), 0, 1).orElseThrow().contains("not a complete ZIP"));
        assertTrue(check(whole, 2, 1).orElseThrow().contains("lists 3 entries but 2 could be read"));
    }

    @Test
    void passesBytesThroughUnchanged() throws IOException {
        byte[] whole = zip(2, "", 70_000);
        try (InputStream tail = new ZipTail(new ByteArrayInputStream(whole))) {
            assertTrue(Arrays.equals(whole, tail.readAllBytes()));
        }
    }
}
