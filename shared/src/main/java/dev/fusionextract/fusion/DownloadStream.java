package dev.fusionextract.fusion;

import dev.fusionextract.failure.TransientException;
import dev.fusionextract.logging.JsonLog;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An output file's bytes as one stream: when the connection breaks mid-body it reopens at the byte where it
 * stopped (a Range request), a bounded number of times; at the end it checks the size and the SHA-256
 * against what Fusion listed and throws {@link ChecksumMismatchException} when they differ.
 */
final class DownloadStream extends InputStream {

    /** Opens the file's content positioned at {@code offset}. */
    @FunctionalInterface
    interface Opener {
        InputStream open(long offset);
    }

    private final OutputFile file;
    private final Opener opener;
    private final int maxResumes;
    private final JsonLog log;
    private final MessageDigest sha256;
    private InputStream body;
    private long position;
    private int resumes;
    private boolean verified;

    DownloadStream(OutputFile file, Opener opener, int maxResumes, JsonLog log) {
        this.file = file;
        this.opener = opener;
        this.maxResumes = maxResumes;
        this.log = log;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.body = opener.open(0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n;
            try {
                n = body.read(b, off, len);
            } catch (IOException e) {
                resume(e);
                continue;
            }
            if (n == -1) {
                verify();
                return -1;
            }
            sha256.update(b, off, n);
            position += n;
            return n;
        }
    }

    /** Bytes delivered so far. */
    long position() {
        return position;
    }

    private void resume(IOException cause) {
        if (resumes >= maxResumes) {
            throw new TransientException("Download of " + file.safeName() + " broke off " + (resumes + 1) + " times, last at byte "
                    + position + " (" + cause.getClass().getSimpleName() + "); try again later.", cause);
        }
        resumes++;
        log.warn("download interrupted, resuming", "file", file.safeName(), "offset", position, "resume", resumes,
                "error", cause.getClass().getSimpleName());
        closeQuietly();
        body = opener.open(position);
    }

    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        if (file.size() >= 0 && position < file.size()) {
            throw new TransientException("Download of " + file.safeName() + " ended after " + position + " of " + file.size()
                    + " bytes; try again later.", null);
        }
        if (file.size() >= 0 && position > file.size()) {
            throw new ChecksumMismatchException("Download of " + file.safeName() + " sent " + position + " bytes but Fusion listed "
                    + file.size() + "; the file is refused.");
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (file.sha256Hex().isPresent() && !file.sha256Hex().get().equals(actual)) {
            throw new ChecksumMismatchException("Download of " + file.safeName() + " has SHA-256 " + actual + " but Fusion listed "
                    + file.sha256Hex().get() + "; the file is refused. Run the extract again; if it repeats, report it to Oracle.");
        }
    }

    private void closeQuietly() {
        try {
            body.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
