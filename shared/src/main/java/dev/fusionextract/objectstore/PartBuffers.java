package dev.fusionextract.objectstore;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The only memory the writer uses for data: at most {@code count} buffers of up to {@code size} bytes, made on
 * first need and reused. Taking a buffer blocks while all are in use, which is what bounds the parts in
 * flight. A buffer starts at {@value #FIRST_SIZE} bytes (or the part size, if smaller) and grows to the part
 * size the first time data goes past it: an object of a few MiB never has a whole part's memory touched (at a
 * cold start, the page faults of a fresh 16 MiB array cost 0.1 s). It counts its own peak so that a test, or a
 * benchmark, can show the bound holds.
 */
public final class PartBuffers {

    static final int FIRST_SIZE = 1024 * 1024;

    private final int size;
    private final int count;
    private final int firstSize;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int created;
    private long bytesHeld;
    private int inUse;
    private int peakInUse;

    public PartBuffers(int size, int count) {
        this(size, count, FIRST_SIZE);
    }

    PartBuffers(int size, int count, int firstSize) {
        if (size < 1 || count < 1 || firstSize < 1) {
            throw new IllegalArgumentException("part buffers need a size and a count of at least 1");
        }
        this.size = size;
        this.count = count;
        this.firstSize = Math.min(size, firstSize);
    }

    public int size() {
        return size;
    }

    public int count() {
        return count;
    }

    synchronized byte[] take() throws InterruptedException {
        while (free.isEmpty() && created == count) {
            wait();
        }
        byte[] buffer = free.isEmpty() ? newBuffer() : free.pop();
        inUse++;
        peakInUse = Math.max(peakInUse, inUse);
        return buffer;
    }

    synchronized void give(byte[] buffer) {
        free.push(buffer);
        inUse--;
        notifyAll();
    }

    /** The buffer grown to the part size, its content kept; the smaller one is left to the collector. */
    synchronized byte[] grow(byte[] buffer) {
        bytesHeld += size - buffer.length;
        return Arrays.copyOf(buffer, size);
    }

    private byte[] newBuffer() {
        created++;
        bytesHeld += firstSize;
        return new byte[firstSize];
    }

    /** Most buffers ever in use at once. */
    public synchronized int peakInUse() {
        return peakInUse;
    }

    /** Bytes of all buffers made, as large as they have grown: never more than size x count. */
    public synchronized long bytesAllocated() {
        return bytesHeld;
    }
}
