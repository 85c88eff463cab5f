package dev.fusionextract.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server bound to 127.0.0.1 that records every request it receives. The emulators are built on it;
 * tests also use it bare, as "another host" that must never see a credential.
 */
public final class LoopbackServer implements AutoCloseable {

    static final String NODELAY = "sun.net.httpserver.nodelay";

    /** Handles one exchange; may throw to drop the connection. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    static {
        // Answers leave at once, as from a real service: the JDK's server writes an answer's headers and body in two
        // writes, and without TCP_NODELAY the body on a kept-alive connection waits for the client's delayed ACK
        // (40 ms on Linux), which made every second call to an emulator 40 ms slower than the service it stands for.
        // The JDK's server reads the property once, when its configuration class loads; a value given is kept.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    private LoopbackServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on the given port (0 for a free one) with one handler for every path. */
    public static LoopbackServer start(int port, Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "loopback-" + server.getAddress().getPort() + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            LoopbackServer loopback = new LoopbackServer(server, executor);
            server.createContext("/", exchange -> loopback.dispatch(exchange, handler));
            server.setExecutor(executor);
            server.start();
            return loopback;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback server on port " + port, e);
        }
    }

    private void dispatch(HttpExchange exchange, Handler handler) throws IOException {
        requests.add(RecordedRequest.of(exchange));
        try {
            handler.handle(exchange);
        } finally {
            // After a DropConnection the announced length was not written: closing then makes the server shut
            // the socket, so the client sees the body end early, as on a connection reset.
            exchange.close();
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:port} */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Thrown by a handler to end the connection abruptly, mid-body. */
    public static final class DropConnection extends IOException {
        public DropConnection(String why) {
            super(why);
        }
    }
}
