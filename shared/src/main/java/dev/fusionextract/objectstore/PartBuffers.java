package dev.fusionextract.objectstore;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The only memory the writer uses for data: at most {@code count} buffers of {@code size} bytes, made on
 * first need and reused. Taking a buffer blocks while all are in use, which is what bounds the parts in
 * flight. It counts its own peak so that a test, or a benchmark, can show the bound holds.
 */
public final class PartBuffers {

    private final int size;
    private final int count;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int created;
    private int inUse;
    private int peakInUse;

    public PartBuffers(int size, int count) {
        if (size < 1 || count < 1) {
            throw new IllegalArgumentException("part buffers need a size and a count of at least 1");
        }
        this.size = size;
        this.count = count;
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

    private byte[] newBuffer() {
        created++;
        return new byte[size];
    }

    /** Most buffers ever in use at once. */
    public synchronized int peakInUse() {
        return peakInUse;
    }

    /** Bytes of all buffers ever made: never more than size x count. */
    public synchronized long bytesAllocated() {
        return (long) created * size;
    }
}
