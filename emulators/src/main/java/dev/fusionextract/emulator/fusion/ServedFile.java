package dev.fusionextract.emulator.fusion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An output file as served: its content, with size and SHA-256 measured once, on first use. */
final class ServedFile {

    private final OutputContent content;
    private long size = -1;
    private byte[] sha256;

    ServedFile(OutputContent content) {
        this.content = content;
    }

    String name() {
        return content.name();
    }

    OutputContent content() {
        return content;
    }

    synchronized long size() {
        measure();
        return size;
    }

    synchronized String sha256Hex() {
        measure();
        return HexFormat.of().formatHex(sha256);
    }

    /** A well-formed checksum of other bytes. */
    synchronized String wrongSha256Hex() {
        measure();
        byte[] wrong = sha256.clone();
        wrong[0] ^= 0x5A;
        return HexFormat.of().formatHex(wrong);
    }

    /** Whether size and checksum are known yet. */
    synchronized boolean measured() {
        return sha256 != null;
    }

    private void measure() {
        if (sha256 != null) {
            return;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long[] count = {0};
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            };
            try (OutputStream sink = new DigestOutputStream(counting, digest)) {
                content.writeTo(sink);
            }
            size = count[0];
            sha256 = digest.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
