package dev.fusionextract.emulator.fusion;

import dev.fusionextract.emulator.http.LoopbackServer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/** A response body that plays a body fault: drops the connection, crawls, or stalls. */
final class FaultyBody extends FilterOutputStream {

    private static final int PIECE = 8 * 1024;
    private final Fault fault;
    private long written;
    private boolean stalled;
    private boolean dropped;

    FaultyBody(OutputStream out, Fault fault) {
        super(out);
        this.fault = fault;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (dropped) {
            // Writers that clean up after the drop (a ZIP stream's close) must not reach the socket.
            throw new LoopbackServer.DropConnection("connection already dropped");
        }
        if (fault == null) {
            out.write(b, off, len);
            written += len;
            return;
        }
        for (int i = 0; i < len; i += PIECE) {
            piece(b, off + i, Math.min(PIECE, len - i));
        }
    }

    private void piece(byte[] b, int off, int len) throws IOException {
        if (fault instanceof Fault.DropMidBody drop && written + len > drop.afterBytes()) {
            int allowed = (int) Math.max(0, drop.afterBytes() - written);
            out.write(b, off, allowed);
            out.flush();
            dropped = true;
            throw new LoopbackServer.DropConnection("injected: connection dropped after " + drop.afterBytes() + " bytes");
        }
        if (fault instanceof Fault.SlowBody slow) {
            pause(slow.pausePerChunk().toMillis());
        }
        out.write(b, off, len);
        written += len;
        if (fault instanceof Fault.Stall stall && !stalled) {
            stalled = true;
            out.flush();
            pause(stall.pause().toMillis());
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("server stopped");
        }
    }
}
