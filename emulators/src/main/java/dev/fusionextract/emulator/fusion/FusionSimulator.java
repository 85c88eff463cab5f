package dev.fusionextract.emulator.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.fusionextract.emulator.http.Exchanges;
import dev.fusionextract.emulator.http.LoopbackServer;
import dev.fusionextract.emulator.http.RecordedRequest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for an Oracle Fusion pod and its IDCS identity domain: the OAuth token endpoint and the
 * saas-batch job scheduler and job file manager, with scripted jobs, generated ZIP output and injected faults.
 */
public final class FusionSimulator implements AutoCloseable {

    public static final String SCHEDULER = "/api/saas-batch/jobscheduler/v1/jobRequests";
    public static final String FILE_MANAGER = "/api/saas-batch/jobfilemanager/v1/jobRequests";
    public static final String TOKEN_PATH = "/oauth2/v1/token";
    public static final String DEFAULT_BATCH_SCOPE = "urn:opc:resource:fusion:sim-pod:saas-batch/";

    private static final Pattern JOB = Pattern.compile(Pattern.quote(SCHEDULER) + "/(\\d+)");
    private static final Pattern FILES = Pattern.compile(Pattern.quote(FILE_MANAGER) + "/(\\d+)/outputFiles");
    private static final Pattern CONTENT = Pattern.compile(Pattern.quote(FILE_MANAGER) + "/(\\d+)/outputFiles/([^/]+)/content");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final IdcsRealm idcs;
    private final LoopbackServer server;
    private final Map<String, ExtractDefinition> extracts = new ConcurrentHashMap<>();
    private final Map<Long, SimulatedJob> jobs = new ConcurrentHashMap<>();
    private final List<JsonNode> submissions = new CopyOnWriteArrayList<>();
    private final Map<Endpoint, FaultQueue> faults = new EnumMap<>(Endpoint.class);
    private final AtomicLong nextJobId = new AtomicLong(44046);
    private volatile String batchScope = DEFAULT_BATCH_SCOPE;
    private volatile int maxPageSize = 25;
    private volatile long downloadBytesPerSecond;

    private FusionSimulator(int port, Clock clock) {
        this.clock = clock;
        this.idcs = new IdcsRealm(clock);
        idcs.allowScope(DEFAULT_BATCH_SCOPE);
        for (Endpoint endpoint : Endpoint.values()) {
            faults.put(endpoint, new FaultQueue(endpoint));
        }
        this.server = LoopbackServer.start(port, this::handle);
    }

    /** Starts on a free loopback port with the system clock. */
    public static FusionSimulator start() {
        return start(0, Clock.systemUTC());
    }

    public static FusionSimulator start(int port, Clock clock) {
        return new FusionSimulator(port, clock);
    }

    /** Base URL of both the Fusion pod and the identity domain: {@code http://127.0.0.1:port}. */
    public URI baseUri() {
        return server.baseUri();
    }

    public IdcsRealm idcs() {
        return idcs;
    }

    public String batchScope() {
        return batchScope;
    }

    public FusionSimulator batchScope(String scope) {
        this.batchScope = scope;
        idcs.allowScope(scope);
        return this;
    }

    /**
     * Serves each download connection at most {@code bytesPerSecond} (0: as fast as it can): a stand-in for what a
     * Fusion pod serves one download stream, for benchmarks that measure parallel downloads rather than this
     * machine's CPU. Paced on the wall clock, not the simulator's.
     */
    public FusionSimulator downloadRate(long bytesPerSecond) {
        this.downloadBytesPerSecond = bytesPerSecond;
        return this;
    }

    /** Writes no faster than a set rate, sleeping as needed (per connection). */
    private static final class PacedStream extends java.io.FilterOutputStream {
        private final long bytesPerSecond;
        private final long start = System.nanoTime();
        private long written;

        PacedStream(OutputStream out, long bytesPerSecond) {
            super(out);
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
            long due = start + written * 1_000_000_000L / bytesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("paced download interrupted");
                }
            }
        }
    }

    public FusionSimulator maxPageSize(int size) {
        this.maxPageSize = size;
        return this;
    }

    public ExtractDefinition defineExtract(ExtractDefinition definition) {
        extracts.put(definition.name(), definition);
        return definition;
    }

    public FaultQueue faults(Endpoint endpoint) {
        return faults.get(endpoint);
    }

    /** Every job request body received, exactly as sent, in arrival order. */
    public List<JsonNode> submissions() {
        return List.copyOf(submissions);
    }

    /** Creates a job of {@code extract} that has already finished with its script's last status (for tools and benchmarks). */
    public long createFinishedJob(String extract) {
        long id = nextJobId.getAndIncrement();
        com.fasterxml.jackson.databind.node.ObjectNode request = Exchanges.JSON.createObjectNode();
        request.put("serviceName", "boss").put("jobDefinitionName", "DataExport");
        request.putObject("requestParameters").put("submit.argument1", extract).put("submit.argument2", "Full Data Extract");
        SimulatedJob job = new SimulatedJob(id, request, extracts.get(extract), clock);
        while (!job.finished()) {
            job.advance();
        }
        jobs.put(id, job);
        return id;
    }

    public Optional<SimulatedJob> job(long jobRequestId) {
        return Optional.ofNullable(jobs.get(jobRequestId));
    }

    public List<RecordedRequest> requests() {
        return server.requests();
    }

    /**
     * Makes every succeeded job's output files now and measures them (size, SHA-256), as a pod has them once the job
     * ran; otherwise the first listing generates and hashes them. A benchmark calls this so that the simulator's
     * own work, done on the machine's CPUs, is not counted as the function's.
     */
    public void prepareOutputs() {
        for (SimulatedJob job : jobs.values()) {
            if (job.succeeded()) {
                job.files().forEach(ServedFile::sha256Hex);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        spawnDueOccurrences();
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Matcher m;
        if (path.equals(TOKEN_PATH)) {
            if (!applyFault(exchange, Endpoint.TOKEN)) {
                token(exchange);
            }
        } else if (path.equals(SCHEDULER) && method.equals("POST")) {
            if (authorized(exchange, Endpoint.SUBMIT)) {
                submit(exchange);
            }
        } else if (path.equals(SCHEDULER) && method.equals("GET")) {
            if (authorized(exchange, Endpoint.LIST_JOBS)) {
                listJobs(exchange);
            }
        } else if ((m = JOB.matcher(path)).matches() && method.equals("GET")) {
            if (authorized(exchange, Endpoint.STATUS)) {
                status(exchange, Long.parseLong(m.group(1)));
            }
        } else if ((m = FILES.matcher(path)).matches() && method.equals("GET")) {
            if (authorized(exchange, Endpoint.LIST_FILES)) {
                listFiles(exchange, Long.parseLong(m.group(1)));
            }
        } else if ((m = CONTENT.matcher(path)).matches() && method.equals("GET")) {
            if (authorized(exchange, Endpoint.DOWNLOAD)) {
                download(exchange, Long.parseLong(m.group(1)), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
            }
        } else {
            essError(exchange, 404, "Not Found", "no such resource: " + method + " " + path);
        }
    }

    // ---- IDCS

    private void token(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            oauthError(exchange, 405, "invalid_request", "use POST");
            return;
        }
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            oauthError(exchange, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
            return;
        }
        Optional<String[]> basic = basicCredentials(exchange);
        if (basic.isEmpty() || !idcs.clientMatches(basic.get()[0], basic.get()[1])) {
            oauthError(exchange, 401, "invalid_client", "Client authentication failed.");
            return;
        }
        Map<String, String> form = Exchanges.parseForm(new String(Exchanges.readBody(exchange), StandardCharsets.UTF_8));
        String grant = form.getOrDefault("grant_type", "");
        if (grant.equals("password")) {
            if (!idcs.userMatches(form.get("username"), form.get("password"))) {
                oauthError(exchange, 400, "invalid_grant", "The user name or password is incorrect.");
                return;
            }
        } else if (!grant.equals("client_credentials")) {
            oauthError(exchange, 400, "unsupported_grant_type", "grant_type must be client_credentials or password");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        if (!idcs.scopeAllowed(scope)) {
            oauthError(exchange, 400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
            return;
        }
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("access_token", idcs.issue(scope));
        body.put("token_type", "Bearer");
        body.put("expires_in", idcs.tokenLifetime().toSeconds());
        Exchanges.sendJson(exchange, 200, body);
    }

    private static Optional<String[]> basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void oauthError(HttpExchange exchange, int status, String error, String description) throws IOException {
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        Exchanges.sendJson(exchange, status, body);
    }

    // ---- batch API

    private boolean authorized(HttpExchange exchange, Endpoint endpoint) throws IOException {
        if (applyFault(exchange, endpoint)) {
            return false;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<String> token = header != null && header.startsWith("Bearer ") ? Optional.of(header.substring(7).trim()) : Optional.empty();
        if (!idcs.accepts(token, batchScope)) {
            essError(exchange, 401, "Unauthorized", "The bearer token is missing, invalid or expired.");
            return false;
        }
        return true;
    }

    private void submit(HttpExchange exchange) throws IOException {
        JsonNode body;
        try {
            body = Exchanges.JSON.readTree(Exchanges.readBody(exchange));
        } catch (IOException e) {
            essError(exchange, 400, "Bad Request", "the body is not JSON");
            return;
        }
        if (body == null || !body.isObject()) {
            essError(exchange, 400, "Bad Request", "the body must be a JSON object");
            return;
        }
        submissions.add(body);
        String extract = body.path("requestParameters").path("submit.argument1").asText("");
        String kind = body.path("requestParameters").path("submit.argument2").asText("");
        if (!body.path("serviceName").asText().equals("boss") || !body.path("jobDefinitionName").asText().equals("DataExport")
                || extract.isEmpty() || !(kind.equals("Full Data Extract") || kind.equals("Incremental Data Extract"))) {
            essError(exchange, 400, "Bad Request", "expected serviceName boss, jobDefinitionName DataExport, "
                    + "submit.argument1 (extract) and submit.argument2 (Full or Incremental Data Extract)");
            return;
        }
        long id = nextJobId.getAndIncrement();
        SimulatedJob job = new SimulatedJob(id, body, extracts.get(extract), clock);
        if (body.path("runAtTimes").isObject()) {
            Optional<String> problem = job.recurEvery(body.path("runAtTimes"));
            if (problem.isPresent()) {
                essError(exchange, 400, "Bad Request", problem.get());
                return;
            }
        }
        jobs.put(id, job);
        exchange.getResponseHeaders().set("Location", baseUri() + SCHEDULER + "/" + id);
        Exchanges.sendEmpty(exchange, 202);
    }

    /**
     * Makes the occurrences of recurring jobs whose time has come (on the simulator's clock): each is a job request
     * of its own, naming its parent in the extract's {@link OccurrenceShape}, running for the extract's occurrence
     * time, with output files of its own.
     */
    private void spawnDueOccurrences() {
        for (SimulatedJob parent : List.copyOf(jobs.values())) {
            java.time.Instant due;
            while ((due = parent.nextOccurrenceDue()) != null) {
                long id = nextJobId.getAndIncrement();
                int n = parent.occurrencesMade() + 1;
                ObjectNode request = parent.request().deepCopy();
                request.remove("runAtTimes");
                ObjectNode parameters = request.with("requestParameters");
                OccurrenceShape shape = parent.definition() == null ? OccurrenceShape.PARENT_REQUEST : parent.definition().occurrenceShape();
                switch (shape) {
                    case PARENT_REQUEST -> parameters.put("parentRequest", String.valueOf(parent.id()));
                    case CLIENT_REQUEST_UUID -> request.put("clientRequestUuid", parent.id() + "," + java.util.UUID.nameUUIDFromBytes(
                            (parent.id() + "/" + n).getBytes(StandardCharsets.UTF_8)));
                    case EXECUTION_CONTEXT -> parameters.put("requestExecutionContext", parent.id() + "," + n);
                }
                SimulatedJob occurrence = new SimulatedJob(id, request, parent.definition(), clock);
                occurrence.runFrom(due, parent.definition() == null ? java.time.Duration.ZERO : parent.definition().occurrenceRunsFor());
                jobs.put(id, occurrence);
                parent.occurrenceMade();
            }
        }
    }

    /**
     * The job requests, newest first, a page at a time ({@code limit}, {@code offset}; Oracle REST's {@code items},
     * {@code count}, {@code hasMore}). Oracle does not document this listing; public automation code reads
     * {@code items[].jobRequestId} and {@code items[].jobRequest} from it (see the Fusion reference notes), which is
     * the shape given here. Reading the list moves no job along.
     */
    private void listJobs(HttpExchange exchange) throws IOException {
        Map<String, String> query = Exchanges.parseForm(exchange.getRequestURI().getRawQuery());
        int limit = Math.max(1, Math.min(maxPageSize, parseOr(query.get("limit"), maxPageSize)));
        int offset = Math.max(0, parseOr(query.get("offset"), 0));
        List<SimulatedJob> all = jobs.values().stream().sorted(java.util.Comparator.comparingLong(SimulatedJob::id).reversed()).toList();
        List<SimulatedJob> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
        ObjectNode body = Exchanges.JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode items = body.putArray("items");
        for (SimulatedJob job : page) {
            ObjectNode item = items.addObject();
            item.put("jobRequestId", job.id());
            item.set("jobRequest", job.request().deepCopy());
            item.put("jobStatus", job.currentStatus());
        }
        body.put("count", page.size()).put("hasMore", offset + page.size() < all.size()).put("limit", limit).put("offset", offset);
        Exchanges.sendJson(exchange, 200, body);
    }

    private void status(HttpExchange exchange, long id) throws IOException {
        SimulatedJob job = jobs.get(id);
        if (job == null) {
            essError(exchange, 404, "Not Found", "job request " + id + " does not exist");
            return;
        }
        JobStep step = job.advance();
        StatusShape shape = job.definition() == null ? StatusShape.DOCUMENTED : job.definition().shape();
        Exchanges.sendJson(exchange, 200, statusBody(job, step, shape));
    }

    private ObjectNode statusBody(SimulatedJob job, JobStep step, StatusShape shape) {
        ObjectNode progress = Exchanges.JSON.createObjectNode();
        progress.put("jobRequestId", job.id());
        progress.put("status", step.status());
        progress.put("message", step.message());
        progress.put("startTime", "2025-12-18T07:38:58Z");
        progress.put("completedPercentage", job.finished() ? "100" : String.valueOf(Math.min(99, job.stepIndex() * 30)));
        progress.put("completed", job.finished());
        ObjectNode root = Exchanges.JSON.createObjectNode();
        switch (shape) {
            case DOCUMENTED -> {
                ObjectNode details = root.putObject("jobDetails");
                details.put("jobRequestId", job.id());
                details.set("jobRequest", job.request().deepCopy());
                details.put("jobStatus", step.status());
                details.set("jobProgress", progress);
            }
            case TOP_LEVEL_STATUS -> {
                root.put("jobRequestId", job.id());
                root.put("jobStatus", step.status());
            }
            case TOP_LEVEL_PROGRESS -> root.set("jobProgress", progress);
            case DETAILS_PROGRESS -> root.putObject("jobDetails").set("jobProgress", progress);
        }
        return root;
    }

    private void listFiles(HttpExchange exchange, long id) throws IOException {
        SimulatedJob job = jobs.get(id);
        if (job == null) {
            essError(exchange, 404, "Not Found", "job request " + id + " does not exist");
            return;
        }
        Map<String, String> query = Exchanges.parseForm(exchange.getRequestURI().getRawQuery());
        int limit = Math.min(maxPageSize, parseOr(query.get("limit"), maxPageSize));
        int offset = parseOr(query.get("offset"), 0);
        List<ServedFile> files = job.succeeded() ? job.files() : List.of();
        ExtractDefinition.ListingStyle style = job.definition() == null
                ? ExtractDefinition.ListingStyle.TOTAL_AND_HAS_MORE : job.definition().listingStyle();

        ObjectNode body = Exchanges.JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        int end = Math.min(files.size(), offset + Math.max(limit, 0));
        for (int i = Math.max(offset, 0); i < end; i++) {
            items.add(item(job, files.get(i)));
        }
        boolean hasMore = end < files.size();
        if (style != ExtractDefinition.ListingStyle.HAS_MORE_ONLY) {
            body.put("totalItems", files.size());
        }
        body.put("count", items.size());
        if (style != ExtractDefinition.ListingStyle.TOTAL_ONLY) {
            body.put("hasMore", hasMore);
        }
        body.put("limit", limit);
        body.put("offset", offset);
        ArrayNode links = body.putArray("links");
        String self = baseUri() + FILE_MANAGER + "/" + id + "/outputFiles";
        links.addObject().put("rel", "self").put("href", self + "?limit=" + limit + "&offset=" + offset);
        if (hasMore) {
            links.addObject().put("rel", "next").put("href", self + "?limit=" + limit + "&offset=" + end);
        }
        Exchanges.sendJson(exchange, 200, body);
    }

    private ObjectNode item(SimulatedJob job, ServedFile file) {
        String encoded = URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20");
        URI base = job.definition() != null && job.definition().enclosureBase() != null ? job.definition().enclosureBase() : baseUri();
        String selfHref = base + FILE_MANAGER + "/" + job.id() + "/outputFiles/" + encoded;
        ObjectNode item = Exchanges.JSON.createObjectNode();
        item.put("fileName", file.name());
        item.put("fileSize", file.size());
        item.put("timeCreated", CREATED.format(clock.instant()));
        boolean wrong = job.definition() != null && job.definition().wrongChecksum();
        item.put("checksum", "sha-256=" + (wrong ? file.wrongSha256Hex() : file.sha256Hex()));
        ObjectNode links = item.putObject("$context").putObject("links");
        links.putObject("enclosure").put("href", selfHref + "/content");
        links.putObject("$self").put("href", selfHref);
        return item;
    }

    private void download(HttpExchange exchange, long id, String fileName) throws IOException {
        SimulatedJob job = jobs.get(id);
        Optional<ServedFile> file = job == null ? Optional.empty()
                : job.files().stream().filter(f -> f.name().equals(fileName)).findFirst();
        if (file.isEmpty() || !job.succeeded()) {
            essError(exchange, 404, "Not Found", "no output file " + fileName + " for job " + id);
            return;
        }
        long size = file.get().size();
        long first = 0;
        long last = size - 1;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) >= size) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                Exchanges.sendEmpty(exchange, 416);
                return;
            }
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            status = 206;
            exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/zip");
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        long length = last - first + 1;
        Fault fault = pendingBodyFault();
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        OutputStream wire = downloadBytesPerSecond > 0 ? new PacedStream(exchange.getResponseBody(), downloadBytesPerSecond)
                : exchange.getResponseBody();
        OutputStream body = new BufferedOutputStream(new FaultyBody(wire, fault), 64 * 1024);
        RangeSink sink = new RangeSink(body, first, length);
        try {
            file.get().content().writeTo(sink);
        } catch (RangeSink.Done done) {
            // the requested range is complete
        }
        body.flush();
        body.close();
    }

    // ---- faults

    /** Applies the endpoint's next status fault, if any; true when the response was sent. */
    private boolean applyFault(HttpExchange exchange, Endpoint endpoint) throws IOException {
        Fault fault = faults.get(endpoint).peek();
        if (fault == null) {
            return false;
        }
        if (fault instanceof Fault.HttpError error) {
            faults.get(endpoint).poll();
            if (error.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", error.retryAfterAsHttpDate()
                        ? HTTP_DATE.format(clock.instant().plus(error.retryAfter()))
                        : String.valueOf(error.retryAfter().toSeconds()));
            }
            essError(exchange, error.status(), "Injected", "injected fault " + error.status());
            return true;
        }
        if (fault instanceof Fault.Answer answer) {
            faults.get(endpoint).poll();
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            Exchanges.send(exchange, answer.status(), answer.contentType(), answer.body());
            return true;
        }
        if (fault instanceof Fault.Unauthorized) {
            faults.get(endpoint).poll();
            essError(exchange, 401, "Unauthorized", "The bearer token has expired.");
            return true;
        }
        return false;
    }

    /** The download's next fault when it acts on the body (drop, slow, stall); status faults were taken before. */
    private Fault pendingBodyFault() {
        FaultQueue queue = faults.get(Endpoint.DOWNLOAD);
        return queue.peek() != null && queue.peek().actsOnBody() ? queue.poll() : null;
    }

    private static void essError(HttpExchange exchange, int status, String title, String detail) throws IOException {
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("type", "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("o:errorCode", "ESS-" + status);
        Exchanges.send(exchange, status, "application/json", Exchanges.JSON.writeValueAsBytes(body));
    }

    private static int parseOr(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A queue of faults for one endpoint. */
    public static final class FaultQueue {
        private final Endpoint endpoint;
        private final ConcurrentLinkedQueue<Fault> queue = new ConcurrentLinkedQueue<>();

        FaultQueue(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        public FaultQueue add(Fault fault) {
            if (fault.actsOnBody() && endpoint != Endpoint.DOWNLOAD) {
                throw new IllegalArgumentException(fault + " acts on a streamed body; only DOWNLOAD streams one");
            }
            queue.add(fault);
            return this;
        }

        public FaultQueue add(Fault fault, int times) {
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
            return this;
        }

        public int pending() {
            return queue.size();
        }

        Fault peek() {
            return queue.peek();
        }

        Fault poll() {
            return queue.poll();
        }
    }

    /** A job as the simulator tracks it. */
    public static final class SimulatedJob {
        private final long id;
        private final JsonNode request;
        private final ExtractDefinition definition;
        private final List<JobStep> script;
        private final Clock clock;
        private final java.time.Instant submitted;
        private int step = -1;
        private int statusRequests;
        private java.time.Instant recurringUntil;
        private java.time.Instant firstOccurrence;
        private java.time.Duration interval;
        private int occurrences;
        private java.time.Instant madeAt;
        private java.time.Duration runsFor;
        private List<ServedFile> files;

        SimulatedJob(long id, JsonNode request, ExtractDefinition definition, Clock clock) {
            this.id = id;
            this.request = request;
            this.definition = definition;
            this.clock = clock;
            this.submitted = clock.instant();
            this.script = definition != null ? definition.script()
                    : List.of(new JobStep("ERROR", "Extract definition "
                    + request.path("requestParameters").path("submit.argument1").asText() + " was not found."));
        }

        public long id() {
            return id;
        }

        public JsonNode request() {
            return request;
        }

        ExtractDefinition definition() {
            return definition;
        }

        /**
         * Makes this job a recurring parent: WAIT until its end ({@code endDate} {@code endTime}, UTC), then
         * SUCCEEDED; an occurrence every {@code interval} {@code timeUnit} from its submission (or its start date and
         * time, when later). Dates as Oracle's page writes them ({@code MM/dd/yyyy}) or ISO.
         */
        synchronized Optional<String> recurEvery(JsonNode runAt) {
            JsonNode fixed = runAt.path("fixedInterval");
            int every = fixed.path("interval").asInt(0);
            java.time.temporal.ChronoUnit unit;
            try {
                unit = java.time.temporal.ChronoUnit.valueOf(fixed.path("timeUnit").asText("").toUpperCase(java.util.Locale.ROOT) + "S");
            } catch (IllegalArgumentException e) {
                return Optional.of("runAtTimes.fixedInterval.timeUnit must be MINUTE, HOUR or DAY");
            }
            Optional<java.time.LocalDate> start = date(runAt.path("startDate").asText(""));
            Optional<java.time.LocalDate> end = date(runAt.path("endDate").asText(""));
            if (every < 1 || start.isEmpty() || end.isEmpty()) {
                return Optional.of("runAtTimes needs fixedInterval.interval >= 1, startDate and endDate");
            }
            java.time.Instant from = start.get().atTime(time(runAt.path("startTime").asText("0000"))).toInstant(ZoneOffset.UTC);
            interval = java.time.Duration.of(every, unit);
            firstOccurrence = from.isAfter(submitted) ? from : submitted.plus(interval);
            recurringUntil = end.get().atTime(time(runAt.path("endTime").asText("2359"))).toInstant(ZoneOffset.UTC);
            return Optional.empty();
        }

        private static Optional<java.time.LocalDate> date(String text) {
            for (DateTimeFormatter format : List.of(DateTimeFormatter.ISO_LOCAL_DATE, DateTimeFormatter.ofPattern("MM/dd/yyyy"))) {
                try {
                    return Optional.of(java.time.LocalDate.parse(text, format));
                } catch (java.time.format.DateTimeParseException e) {
                    // the other form
                }
            }
            return Optional.empty();
        }

        private static java.time.LocalTime time(String hhmm) {
            return hhmm.matches("\\d{4}") ? java.time.LocalTime.of(Integer.parseInt(hhmm.substring(0, 2)) % 24,
                    Integer.parseInt(hhmm.substring(2)) % 60) : java.time.LocalTime.MIDNIGHT;
        }

        /** The time of the next occurrence to make, if it has come and falls before the end. */
        synchronized java.time.Instant nextOccurrenceDue() {
            if (recurringUntil == null) {
                return null;
            }
            java.time.Instant next = firstOccurrence.plus(interval.multipliedBy(occurrences));
            return !next.isAfter(clock.instant()) && !next.isAfter(recurringUntil) ? next : null;
        }

        synchronized int occurrencesMade() {
            return occurrences;
        }

        synchronized void occurrenceMade() {
            occurrences++;
        }

        /** An occurrence: made at {@code at}, RUNNING for {@code runFor}, then the script's last status. */
        synchronized void runFrom(java.time.Instant at, java.time.Duration runFor) {
            madeAt = at;
            runsFor = runFor;
        }

        /** Whether this is a recurring parent. */
        public synchronized boolean recurring() {
            return recurringUntil != null;
        }

        synchronized JobStep advance() {
            statusRequests++;
            if (recurringUntil != null) {
                return clock.instant().isBefore(recurringUntil) ? JobStep.of("WAIT") : JobStep.of("SUCCEEDED");
            }
            if (madeAt != null) {
                step = clock.instant().isBefore(madeAt.plus(runsFor)) ? 0 : script.size() - 1;
                return step == 0 && script.size() > 1 ? JobStep.of("RUNNING") : script.get(step);
            }
            java.time.Duration runsFor = definition == null ? null : definition.runsFor();
            if (runsFor != null) {
                java.time.Duration elapsed = java.time.Duration.between(submitted, clock.instant());
                if (elapsed.compareTo(runsFor) >= 0) {
                    step = script.size() - 1;
                    return script.get(step);
                }
                step = 0;
                return JobStep.of(statusRequests == 1 ? "ENQUEUED" : "RUNNING");
            }
            step = Math.min(step + 1, script.size() - 1);
            return script.get(step);
        }

        /** The status last reported (ENQUEUED before the first status request), without moving the job. */
        synchronized String currentStatus() {
            if (recurringUntil != null) {
                return clock.instant().isBefore(recurringUntil) ? "WAIT" : "SUCCEEDED";
            }
            if (madeAt != null) {
                return clock.instant().isBefore(madeAt.plus(runsFor)) ? "RUNNING" : script.get(script.size() - 1).status();
            }
            return step < 0 ? "ENQUEUED" : script.get(step).status();
        }

        synchronized int stepIndex() {
            return Math.max(step, 0);
        }

        /** How many status requests this job has answered. */
        public synchronized int statusRequests() {
            return statusRequests;
        }

        synchronized boolean finished() {
            if (recurringUntil != null) {
                return !clock.instant().isBefore(recurringUntil);
            }
            if (madeAt != null) {
                return !clock.instant().isBefore(madeAt.plus(runsFor));
            }
            return step == script.size() - 1 && !(definition != null && definition.runsFor() != null
                    && java.time.Duration.between(submitted, clock.instant()).compareTo(definition.runsFor()) < 0);
        }

        /** The job has reported its last status and it is a success; only then are files listed. */
        synchronized boolean succeeded() {
            if (recurringUntil != null) {
                return false; // a recurring parent's output is its occurrences'
            }
            if (!finished()) {
                return false;
            }
            String last = script.get(script.size() - 1).status();
            return List.of("SUCCEEDED", "COMPLETED", "WARNING", "FINISHED").contains(last);
        }

        synchronized List<ServedFile> files() {
            if (files == null) {
                List<ServedFile> served = new ArrayList<>();
                if (definition != null) {
                    String extract = definition.name();
                    ExtractGenerator.files(definition.output(), extract, id).forEach(c -> served.add(new ServedFile(c)));
                    definition.extraFiles().forEach(c -> served.add(new ServedFile(c)));
                }
                files = List.copyOf(served);
            }
            return files;
        }
    }
}
