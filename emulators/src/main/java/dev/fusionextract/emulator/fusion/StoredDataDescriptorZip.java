package dev.fusionextract.emulator.fusion;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a ZIP whose entries are STORED with general-purpose flag bit 3: the local header carries zeros and
 * the CRC and sizes follow the data in a data descriptor. Some streaming writers produce this; mainstream
 * libraries do not, and {@code java.util.zip.ZipInputStream} refuses to read it.
 */
final class StoredDataDescriptorZip {

    private static final int FLAGS = 0x0008 | 0x0800; // data descriptor follows, names are UTF-8
    private static final int DOS_TIME = (7 << 11) | (42 << 5);           // 07:42:00
    private static final int DOS_DATE = ((2025 - 1980) << 9) | (12 << 5) | 18; // 2025-12-18

    private record Written(byte[] name, long crc, long size, long offset) {
    }

    /** Receives an entry's bytes. */
    interface EntryWriter {
        void write(OutputStream entry) throws IOException;
    }

    private final Counting out;
    private final List<Written> entries = new ArrayList<>();

    StoredDataDescriptorZip(OutputStream out) {
        this.out = new Counting(out);
    }

    void entry(String name, EntryWriter writer) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long offset = out.count;
        le32(0x04034b50);
        le16(20);
        le16(FLAGS);
        le16(0); // STORED
        le16(DOS_TIME);
        le16(DOS_DATE);
        le32(0);
        le32(0);
        le32(0);
        le16(nameBytes.length);
        le16(0);
        out.write(nameBytes);
        CRC32 crc = new CRC32();
        long start = out.count;
        writer.write(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                crc.update(b);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                crc.update(b, off, len);
                out.write(b, off, len);
            }
        });
        long size = out.count - start;
        if (size > 0xFFFFFFFFL) {
            throw new IOException("this writer does not write ZIP64");
        }
        le32(0x08074b50);
        le32(crc.getValue());
        le32(size);
        le32(size);
        entries.add(new Written(nameBytes, crc.getValue(), size, offset));
    }

    void finish() throws IOException {
        long cdStart = out.count;
        for (Written e : entries) {
            le32(0x02014b50);
            le16(20);
            le16(20);
            le16(FLAGS);
            le16(0);
            le16(DOS_TIME);
            le16(DOS_DATE);
            le32(e.crc);
            le32(e.size);
            le32(e.size);
            le16(e.name.length);
            le16(0);
            le16(0);
            le16(0);
            le16(0);
            le32(0);
            le32(e.offset);
            out.write(e.name);
        }
        long cdSize = out.count - cdStart;
        le32(0x06054b50);
        le16(0);
        le16(0);
        le16(entries.size());
        le16(entries.size());
        le32(cdSize);
        le32(cdStart);
        le16(0);
        out.flush();
    }

    private void le16(int v) throws IOException {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private void le32(long v) throws IOException {
        le16((int) (v & 0xFFFF));
        le16((int) ((v >>> 16) & 0xFFFF));
    }

    private static final class Counting extends OutputStream {
        private final OutputStream target;
        long count;

        Counting(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
