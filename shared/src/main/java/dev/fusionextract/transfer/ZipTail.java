package dev.fusionextract.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Keeps the last bytes of a ZIP as it streams past, to tell at its end whether it was a complete ZIP: one that
 * ends with an end-of-central-directory record (APPNOTE 4.3.16: signature 0x06054b50, 22 bytes and a comment of
 * the length it states). A streaming reader stops quietly at anything it does not recognise, so without this an
 * HTML error page, a CSV or a truncated file named {@code .zip} would "land" as zero entries.
 */
final class ZipTail extends FilterInputStream {

    private static final int EOCD_SIZE = 22;
    private static final int KEEP = EOCD_SIZE + 0xFFFF;

    private final byte[] ring = new byte[KEEP];
    private long total;

    ZipTail(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            keep(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            keep(b, off, n);
        }
        return n;
    }

    /** Copies the last (at most KEEP) bytes of a read into the ring: two array copies, nothing per byte. */
    private void keep(byte[] b, int off, int len) {
        int skip = Math.max(0, len - KEEP);
        int n = len - skip;
        int at = (int) ((total + skip) % KEEP);
        int first = Math.min(n, KEEP - at);
        System.arraycopy(b, off + skip, ring, at, first);
        System.arraycopy(b, off + skip + first, ring, 0, n - first);
        total += len;
    }

    /** Why the bytes read were not a complete ZIP holding {@code entriesRead} entries, or empty when they were. */
    Optional<String> check(int entriesRead) {
        int kept = (int) Math.min(total, KEEP);
        byte[] tail = new byte[kept];
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(int) ((total - kept + i) % KEEP)];
        }
        for (int at = kept - EOCD_SIZE; at >= 0; at--) {
            if (tail[at] == 'P' && tail[at + 1] == 'K' && tail[at + 2] == 5 && tail[at + 3] == 6
                    && at + EOCD_SIZE + u16(tail, at + 20) == kept) {
                int listed = u16(tail, at + 10);
                if (listed != 0xFFFF && listed != entriesRead) {
                    return Optional.of("its central directory lists " + listed + " entries but " + entriesRead + " could be read: "
                            + "the ZIP is damaged");
                }
                return Optional.empty();
            }
        }
        if (total == 0) {
            return Optional.of("it is empty (0 bytes), not a ZIP");
        }
        return Optional.of("it is not a complete ZIP: its " + total + " bytes do not end with an end-of-central-directory record "
                + "(a truncated file, an error page or a file of another kind named .zip)");
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }
}
