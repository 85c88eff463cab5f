package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.fusionextract.emulator.http.Exchanges;
import dev.fusionextract.emulator.http.LoopbackServer;
import dev.fusionextract.emulator.http.RecordedRequest;

import java.io.IOException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A loopback stand-in for the OCI services the functions call, answering as the OCI Java SDK expects:
 * Object Storage (with multipart uploads), Vault secret bundles, Notifications and Data Integration task runs.
 * All services share one port and are told apart by path. Every request must carry a valid OCI signature;
 * faults can be injected per operation.
 */
public final class OciEmulator implements AutoCloseable {

    public static final String DEFAULT_NAMESPACE = "fxnamespace";

    /** What a request asks for, and the work to do for it. */
    record Route(OciOperation operation, Action action) {
    }

    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    private final SignatureVerifier verifier;
    private final ObjectStorageService objectStorage;
    private final SecretsService secrets = new SecretsService();
    private final NotificationsService notifications;
    private final DataIntegrationService dataIntegration;
    private final MonitoringService monitoring;
    private final OciFaults faults = new OciFaults();
    private final LoopbackServer server;

    private OciEmulator(int port, String namespace, Clock clock) {
        this.verifier = new SignatureVerifier(clock);
        this.objectStorage = new ObjectStorageService(namespace, clock);
        this.notifications = new NotificationsService(clock);
        this.dataIntegration = new DataIntegrationService(clock);
        this.monitoring = new MonitoringService(clock);
        this.server = LoopbackServer.start(port, this::handle);
    }

    /** Starts on a free loopback port with the default namespace. */
    public static OciEmulator start() {
        return start(0, DEFAULT_NAMESPACE, Clock.systemUTC());
    }

    public static OciEmulator start(int port, String namespace, Clock clock) {
        return new OciEmulator(port, namespace, clock);
    }

    /** The endpoint to give every SDK client: {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return server.baseUri();
    }

    /** Accepts requests signed by this API key ({@code <tenancy>/<user>/<fingerprint>}). */
    public OciEmulator trustApiKey(String keyId, PublicKey publicKey) {
        verifier.trust(keyId, publicKey);
        return this;
    }

    public ObjectStorageService objectStorage() {
        return objectStorage;
    }

    public SecretsService secrets() {
        return secrets;
    }

    public NotificationsService notifications() {
        return notifications;
    }

    public DataIntegrationService dataIntegration() {
        return dataIntegration;
    }

    public MonitoringService monitoring() {
        return monitoring;
    }

    public OciFaults faults() {
        return faults;
    }

    public List<RecordedRequest> requests() {
        return server.requests();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("opc-request-id", UUID.randomUUID().toString());
        OciRequest request = new OciRequest(exchange);
        Optional<Route> route = routeOf(request);
        if (route.isEmpty()) {
            request.body();
            error(exchange, 404, "NotAuthorizedOrNotFound", "No such resource: " + request.method + " " + exchange.getRequestURI().getRawPath());
            return;
        }
        OciOperation operation = route.get().operation();
        Optional<String> refusal = verifier.verify(request, operation == OciOperation.PUT_OBJECT || operation == OciOperation.UPLOAD_PART);
        if (refusal.isPresent()) {
            request.body();
            error(exchange, 401, "NotAuthenticated", "The required information to complete authentication was not provided or was incorrect: "
                    + refusal.get() + ".");
            return;
        }
        OciFault fault = faults.take(operation);
        if (fault instanceof OciFault.Status status) {
            request.body();
            error(exchange, status.status(), status.code(), "Injected fault on " + operation);
            return;
        }
        if (fault instanceof OciFault.Reset) {
            request.body();
            throw new LoopbackServer.DropConnection("injected reset on " + operation);
        }
        if (fault instanceof OciFault.DropAnswer) {
            request.body();
            Optional<Route> silent = routeOf(new OciRequest(new SilentExchange(exchange), request.body()));
            silent.orElseThrow().action().run();
            throw new LoopbackServer.DropConnection("injected: " + operation + " done, answer dropped");
        }
        if (fault instanceof OciFault.Delay delay) {
            try {
                Thread.sleep(delay.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("emulator stopped");
            }
        }
        route.get().action().run();
    }

    private Optional<Route> routeOf(OciRequest request) {
        return Stream.of(objectStorage.route(request), secrets.route(request), notifications.route(request),
                dataIntegration.route(request), monitoring.route(request)).flatMap(Optional::stream).findFirst();
    }

    /** Sends an OCI error body: {@code {"code":..,"message":..}}. */
    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("code", code);
        body.put("message", message);
        if (exchange.getRequestMethod().equals("HEAD")) {
            Exchanges.sendEmpty(exchange, status);
        } else {
            Exchanges.sendJson(exchange, status, body);
        }
    }

    /**
     * Runs the emulator on its own: {@code java ... OciEmulator [--port N] [--namespace NS] [--bucket NAME]... [--topic OCID]...}.
     * It accepts API keys given as {@code --trust KEY_ID=PEM_PUBLIC_KEY_FILE} and resource-principal tokens.
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        String namespace = DEFAULT_NAMESPACE;
        List<String> list = List.of(args);
        for (int i = 0; i + 1 < list.size(); i += 2) {
            if (list.get(i).equals("--port")) {
                port = Integer.parseInt(list.get(i + 1));
            } else if (list.get(i).equals("--namespace")) {
                namespace = list.get(i + 1);
            }
        }
        OciEmulator emulator = start(port, namespace, Clock.systemUTC());
        for (int i = 0; i + 1 < list.size(); i += 2) {
            switch (list.get(i)) {
                case "--bucket" -> emulator.objectStorage().createBucket(list.get(i + 1));
                case "--topic" -> emulator.notifications().createTopic(list.get(i + 1));
                case "--trust" -> {
                    String[] pair = list.get(i + 1).split("=", 2);
                    emulator.trustApiKey(pair[0], PemKeys.readPublicKey(java.nio.file.Path.of(pair[1])));
                }
                case "--port", "--namespace" -> { }
                default -> throw new IllegalArgumentException("unknown option " + list.get(i));
            }
        }
        System.out.println("OCI emulator listening on " + emulator.endpoint() + " (namespace " + namespace + ")");
        new CountDownLatch(1).await();
    }
}
