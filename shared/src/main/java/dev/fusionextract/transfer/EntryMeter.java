package dev.fusionextract.transfer;

import dev.fusionextract.objectstore.StreamingObjectWriter;

import java.util.zip.CRC32;

/**
 * Measures an entry's content, seen in order by the object writer (on an upload thread, beside the upload):
 * CRC-32, and for CSV the number of data rows (lines outside quoted fields, less the header; a last line
 * without a newline counts).
 */
public final class EntryMeter implements StreamingObjectWriter.ContentObserver {

    private final CRC32 crc = new CRC32();
    private final boolean csv;
    private long lines;
    private boolean quoted;
    private boolean sawAny;
    private int last = '\n';

    public EntryMeter(boolean csv) {
        this.csv = csv;
    }

    @Override
    public void update(byte[] b, int off, int n) {
        if (n == 0) {
            return;
        }
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
