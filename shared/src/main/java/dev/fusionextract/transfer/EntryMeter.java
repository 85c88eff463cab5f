package dev.fusionextract.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * Measures an entry while it streams past: CRC-32, and for CSV the number of data rows (lines outside quoted
 * fields, less the header; a last line without a newline counts).
 */
public final class EntryMeter extends FilterInputStream {

    private final CRC32 crc = new CRC32();
    private final boolean csv;
    private long lines;
    private boolean quoted;
    private boolean sawAny;
    private int last = '\n';

    public EntryMeter(InputStream in, boolean csv) {
        super(in);
        this.csv = csv;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            see(new byte[]{(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            see(b, off, n);
        }
        return n;
    }

    private void see(byte[] b, int off, int n) {
        crc.update(b, off, n);
        if (!csv) {
            return;
        }
        sawAny = true;
        for (int i = off; i < off + n; i++) {
            byte c = b[i];
            if (c == '"') {
                quoted = !quoted; // a doubled quote toggles twice: still right
            } else if (c == '\n' && !quoted) {
                lines++;
            }
        }
        last = b[off + n - 1];
    }

    @Override
    public void close() {
        // the ZIP stream stays open for the next entry
    }

    public long crc32() {
        return crc.getValue();
    }

    /** Data rows of a CSV entry, or null for other entries. */
    public Long rows() {
        if (!csv) {
            return null;
        }
        long all = lines + (sawAny && last != '\n' ? 1 : 0);
        return Math.max(0, all - 1);
    }
}
