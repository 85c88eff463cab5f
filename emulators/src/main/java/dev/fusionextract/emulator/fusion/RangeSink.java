package dev.fusionextract.emulator.fusion;

import java.io.IOException;
import java.io.OutputStream;

/** Passes on only bytes {@code [first, first + length)} of what is written, then stops the writer with {@link Done}. */
final class RangeSink extends OutputStream {

    /** Thrown once the range is complete, to stop generating bytes nobody asked for. */
    static final class Done extends IOException {
        Done() {
            super("range complete");
        }
    }

    private final OutputStream target;
    private final long first;
    private final long end;
    private long position;

    RangeSink(OutputStream target, long first, long length) {
        this.target = target;
        this.first = first;
        this.end = first + length;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        long from = Math.max(position, first);
        long to = Math.min(position + len, end);
        if (from < to) {
            target.write(b, off + (int) (from - position), (int) (to - from));
        }
        position += len;
        if (position >= end) {
            throw new Done();
        }
    }
}
