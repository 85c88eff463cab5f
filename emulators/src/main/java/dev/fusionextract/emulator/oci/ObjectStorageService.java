package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.fusionextract.emulator.http.Exchanges;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Object Storage under {@code /n/{namespace}}: objects, conditional writes, listing and multipart uploads. */
public final class ObjectStorageService {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final int MAX_PARTS = 10_000;

    private record Part(byte[] content, long size, byte[] md5, String etag) {
    }

    private static final class Upload {
        final String object;
        final String uploadId;
        final String created;
        final Optional<String> ifMatch;
        final Optional<String> ifNoneMatch;
        final String contentType;
        final Map<String, String> metadata;
        final NavigableMap<Integer, Part> parts = new ConcurrentSkipListMap<>();

        Upload(String object, String uploadId, String created, Optional<String> ifMatch, Optional<String> ifNoneMatch,
               String contentType, Map<String, String> metadata) {
            this.object = object;
            this.uploadId = uploadId;
            this.created = created;
            this.ifMatch = ifMatch;
            this.ifNoneMatch = ifNoneMatch;
            this.contentType = contentType;
            this.metadata = metadata;
        }
    }

    private static final class Bucket {
        final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
        final Map<String, Upload> uploads = new ConcurrentHashMap<>();
        final String created;
        volatile boolean objectEvents = true;

        Bucket(String created) {
            this.created = created;
        }
    }

    private final String namespace;
    private volatile Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.Consumer<CreatedObject>> createListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean discardContent;
    private final java.util.concurrent.atomic.AtomicLong conditionalWritesRefused = new java.util.concurrent.atomic.AtomicLong();

    /** An object that was created (a PUT or a committed multipart upload): what OCI Events reports. */
    public record CreatedObject(String namespace, String bucket, String name, String etag) {
    }

    ObjectStorageService(String namespace, Clock clock) {
        this.namespace = namespace;
        this.clock = clock;
    }

    public String namespace() {
        return namespace;
    }

    /**
     * Keeps only sizes and MD5s, not bytes: for benchmarks that land gigabytes. Reads of such objects return
     * no body; everything else (checks, MD5s, multipart) behaves the same.
     */
    public ObjectStorageService discardContent(boolean on) {
        this.discardContent = on;
        return this;
    }

    /**
     * Called after each object is created, with the answer already sent: the hook a local OCI Events uses. A bucket
     * emits only while its object events are on (the default here; see {@link #objectEvents}).
     */
    public void onCreate(java.util.function.Consumer<CreatedObject> listener) {
        createListeners.add(listener);
    }

    private void created(String bucket, String name, StoredObject object) {
        Bucket b = buckets.get(bucket);
        if (b == null || !b.objectEvents) {
            return;
        }
        for (java.util.function.Consumer<CreatedObject> listener : createListeners) {
            listener.accept(new CreatedObject(namespace, bucket, name, object.etag()));
        }
    }

    /**
     * The clock objects are stamped with (created, modified), apart from the one signatures are checked against:
     * a test on a manual clock sees object ages on that clock.
     */
    public ObjectStorageService stampWith(Clock objectClock) {
        this.clock = objectClock;
        return this;
    }

    /** How many conditional PUTs ({@code if-match}, {@code if-none-match}) were answered 412: writers that lost a race. */
    public long conditionalWritesRefused() {
        return conditionalWritesRefused.get();
    }

    /** Deletes an object directly, as a test's hand would. */
    public void delete(String bucket, String name) {
        bucket(bucket).objects.remove(name);
    }

    public ObjectStorageService createBucket(String name) {
        buckets.putIfAbsent(name, new Bucket(clock.instant().toString()));
        return this;
    }

    /**
     * Turns a bucket's object events on or off, as its {@code objectEventsEnabled} property does in OCI: with them
     * off, creating an object emits nothing, so no Events rule fires.
     */
    public ObjectStorageService objectEvents(String bucket, boolean on) {
        bucket(bucket).objectEvents = on;
        return this;
    }

    public Optional<StoredObject> object(String bucket, String name) {
        return Optional.ofNullable(bucket(bucket).objects.get(name));
    }

    /** Names of the committed objects in the bucket, in listing order. */
    public List<String> objectNames(String bucket) {
        return List.copyOf(bucket(bucket).objects.keySet());
    }

    /** Object names of the multipart uploads still open in the bucket. */
    public List<String> openUploads(String bucket) {
        return bucket(bucket).uploads.values().stream().map(u -> u.object).sorted().toList();
    }

    /** Stores an object directly, as a seed for tests. */
    public void put(String bucket, String name, byte[] content) {
        StoredObject stored = new StoredObject(content.clone(), content.length, Optional.of(md5Base64(content)), Optional.empty(),
                UUID.randomUUID().toString(), clock.instant(), "application/octet-stream", Map.of());
        bucket(bucket).objects.put(name, stored);
        created(bucket, name, stored);
    }

    private Bucket bucket(String name) {
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            throw new IllegalArgumentException("no bucket " + name);
        }
        return bucket;
    }

    Optional<OciEmulator.Route> route(OciRequest r) {
        List<String> s = r.segments;
        if (s.isEmpty() || !s.get(0).equals("n")) {
            return Optional.empty();
        }
        if (s.size() == 1 && r.method.equals("GET")) {
            return Optional.of(new OciEmulator.Route(OciOperation.GET_NAMESPACE, () -> Exchanges.sendJson(r.exchange, 200, namespace)));
        }
        if (s.size() < 4 || !s.get(1).equals(namespace) || !s.get(2).equals("b")) {
            return Optional.of(new OciEmulator.Route(OciOperation.GET_NAMESPACE, () -> OciEmulator.error(r.exchange, 404,
                    "NamespaceNotFound", "Either the namespace does not exist or you are not authorized to access it")));
        }
        String bucketName = s.get(3);
        if (s.size() == 4 && r.method.equals("GET")) {
            return route(r, OciOperation.GET_BUCKET, bucketName, b -> getBucket(r, b, bucketName));
        }
        if (s.size() == 5 && s.get(4).equals("o") && r.method.equals("GET")) {
            return route(r, OciOperation.LIST_OBJECTS, bucketName, b -> list(r, b));
        }
        if (s.size() == 6 && s.get(4).equals("o")) {
            String object = s.get(5);
            return switch (r.method) {
                case "PUT" -> route(r, OciOperation.PUT_OBJECT, bucketName, b -> putObject(r, b, object));
                case "HEAD" -> route(r, OciOperation.HEAD_OBJECT, bucketName, b -> getObject(r, b, object, false));
                case "GET" -> route(r, OciOperation.GET_OBJECT, bucketName, b -> getObject(r, b, object, true));
                case "DELETE" -> route(r, OciOperation.DELETE_OBJECT, bucketName, b -> deleteObject(r, b, object));
                default -> Optional.empty();
            };
        }
        if (s.size() == 5 && s.get(4).equals("u")) {
            return switch (r.method) {
                case "POST" -> route(r, OciOperation.CREATE_MULTIPART_UPLOAD, bucketName, b -> createUpload(r, b));
                case "GET" -> route(r, OciOperation.LIST_MULTIPART_UPLOADS, bucketName, b -> listUploads(r, b));
                default -> Optional.empty();
            };
        }
        if (s.size() == 6 && s.get(4).equals("u")) {
            String object = s.get(5);
            return switch (r.method) {
                case "PUT" -> route(r, OciOperation.UPLOAD_PART, bucketName, b -> uploadPart(r, b, object));
                case "POST" -> route(r, OciOperation.COMMIT_MULTIPART_UPLOAD, bucketName, b -> commit(r, b, object));
                case "DELETE" -> route(r, OciOperation.ABORT_MULTIPART_UPLOAD, bucketName, b -> abort(r, b, object));
                case "GET" -> route(r, OciOperation.LIST_MULTIPART_UPLOAD_PARTS, bucketName, b -> listParts(r, b, object));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    @FunctionalInterface
    private interface BucketAction {
        void run(Bucket bucket) throws IOException;
    }

    private Optional<OciEmulator.Route> route(OciRequest r, OciOperation operation, String bucketName, BucketAction action) {
        return Optional.of(new OciEmulator.Route(operation, () -> {
            Bucket bucket = buckets.get(bucketName);
            if (bucket == null) {
                r.body();
                OciEmulator.error(r.exchange, 404, "BucketNotFound", "Either the bucket named '" + bucketName
                        + "' does not exist in the namespace '" + namespace + "' or you are not authorized to access it");
                return;
            }
            action.run(bucket);
        }));
    }

    /**
     * GetBucket: the Bucket model of the API reference (namespace, name, compartmentId, createdBy, timeCreated, etag
     * are required there), with {@code objectEventsEnabled}, the property OCI Events needs on a bucket to emit
     * object events (Oracle's Object Storage "Managing Buckets" and Events pages).
     */
    private void getBucket(OciRequest r, Bucket bucket, String name) throws IOException {
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("namespace", namespace).put("name", name).put("compartmentId", "ocid1.compartment.oc1..emulated")
                .put("createdBy", "ocid1.user.oc1..emulated").put("timeCreated", bucket.created).put("etag", "bucket-" + name)
                .put("publicAccessType", "NoPublicAccess").put("storageTier", "Standard").put("versioning", "Disabled")
                .put("objectEventsEnabled", bucket.objectEvents);
        r.exchange.getResponseHeaders().set("ETag", "bucket-" + name);
        Exchanges.sendJson(r.exchange, 200, body);
    }

    // ---- objects

    private void putObject(OciRequest r, Bucket bucket, String name) throws IOException {
        if (r.header("Content-Length").isEmpty()) {
            OciEmulator.error(r.exchange, 411, "MissingContentLength", "Content-Length is required");
            return;
        }
        byte[] content = r.body();
        String md5 = md5Base64(content);
        long size = content.length;
        if (discardContent) {
            content = new byte[0];
        }
        Optional<String> expectedMd5 = r.header("Content-MD5");
        if (expectedMd5.isPresent() && !expectedMd5.get().equals(md5)) {
            OciEmulator.error(r.exchange, 400, "InvalidContentMD5", "The computed MD5 of the request body (" + md5
                    + ") does not match the Content-MD5 header (" + expectedMd5.get() + ")");
            return;
        }
        Map<String, String> metadata = metadata(r);
        StoredObject stored;
        synchronized (bucket) {
            Optional<String> refusal = precondition(bucket, name, r.header("if-match"), r.header("if-none-match"));
            if (refusal.isPresent()) {
                conditionalWritesRefused.incrementAndGet();
                OciEmulator.error(r.exchange, 412, refusal.get(), "The precondition of the write did not hold for " + name);
                return;
            }
            stored = new StoredObject(content, size, Optional.of(md5), Optional.empty(), UUID.randomUUID().toString(), clock.instant(),
                    r.header("Content-Type").orElse("application/octet-stream"), metadata);
            bucket.objects.put(name, stored);
        }
        r.exchange.getResponseHeaders().set("ETag", stored.etag());
        r.exchange.getResponseHeaders().set("opc-content-md5", md5);
        r.exchange.getResponseHeaders().set("last-modified", HTTP_DATE.format(stored.lastModified()));
        Exchanges.sendEmpty(r.exchange, 200);
        created(bucketName(r), name, stored);
    }

    private static Optional<String> precondition(Bucket bucket, String name, Optional<String> ifMatch, Optional<String> ifNoneMatch) {
        StoredObject existing = bucket.objects.get(name);
        if (ifMatch.isPresent() && (existing == null || !existing.etag().equals(ifMatch.get()))) {
            return Optional.of("IfMatchFailed");
        }
        if (ifNoneMatch.isPresent() && ifNoneMatch.get().equals("*") && existing != null) {
            return Optional.of("IfNoneMatchFailed");
        }
        return Optional.empty();
    }

    private static Map<String, String> metadata(OciRequest r) {
        Map<String, String> metadata = new TreeMap<>();
        r.exchange.getRequestHeaders().forEach((name, values) -> {
            if (name.toLowerCase().startsWith("opc-meta-")) {
                metadata.put(name.toLowerCase().substring("opc-meta-".length()), values.get(0));
            }
        });
        return Map.copyOf(metadata);
    }

    private void getObject(OciRequest r, Bucket bucket, String name, boolean withBody) throws IOException {
        StoredObject object = bucket.objects.get(name);
        HttpExchange exchange = r.exchange;
        if (object == null) {
            if (withBody) {
                OciEmulator.error(exchange, 404, "ObjectNotFound", "The object '" + name + "' was not found in the bucket");
            } else {
                Exchanges.sendEmpty(exchange, 404);
            }
            return;
        }
        exchange.getResponseHeaders().set("ETag", object.etag());
        exchange.getResponseHeaders().set("last-modified", HTTP_DATE.format(object.lastModified()));
        exchange.getResponseHeaders().set("Content-Type", object.contentType());
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        object.contentMd5().ifPresent(md5 -> exchange.getResponseHeaders().set("Content-MD5", md5));
        object.multipartMd5().ifPresent(md5 -> exchange.getResponseHeaders().set("opc-multipart-md5", md5));
        object.metadata().forEach((k, v) -> exchange.getResponseHeaders().set("opc-meta-" + k, v));
        if (!withBody) {
            exchange.getResponseHeaders().set("Content-Length", String.valueOf(object.size()));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        byte[] content = object.content();
        int first = 0;
        int last = content.length - 1;
        int status = 200;
        Optional<String> range = r.header("Range");
        if (range.isPresent()) {
            Matcher m = RANGE.matcher(range.get().trim());
            if (!m.matches() || Long.parseLong(m.group(1)) >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                OciEmulator.error(exchange, 416, "InvalidRange", "The requested range is not satisfiable");
                return;
            }
            first = Integer.parseInt(m.group(1));
            last = m.group(2).isEmpty() ? content.length - 1 : (int) Math.min(content.length - 1, Long.parseLong(m.group(2)));
            status = 206;
            exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
        }
        int length = last - first + 1;
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content, first, length);
            }
        }
    }

    private void deleteObject(OciRequest r, Bucket bucket, String name) throws IOException {
        synchronized (bucket) {
            StoredObject existing = bucket.objects.get(name);
            if (existing == null) {
                OciEmulator.error(r.exchange, 404, "ObjectNotFound", "The object '" + name + "' was not found in the bucket");
                return;
            }
            if (r.header("if-match").isPresent() && !r.header("if-match").get().equals(existing.etag())) {
                OciEmulator.error(r.exchange, 412, "IfMatchFailed", "The precondition of the delete did not hold for " + name);
                return;
            }
            bucket.objects.remove(name);
        }
        Exchanges.sendEmpty(r.exchange, 204);
    }

    private void list(OciRequest r, Bucket bucket) throws IOException {
        String prefix = r.query.getOrDefault("prefix", "");
        String start = r.query.get("start");
        String end = r.query.get("end");
        String delimiter = r.query.get("delimiter");
        int limit = Math.max(1, Math.min(1000, Integer.parseInt(r.query.getOrDefault("limit", "1000"))));
        Set<String> fields = Set.of(r.query.getOrDefault("fields", "name").split(","));
        ObjectNode body = Exchanges.JSON.createObjectNode();
        ArrayNode objects = body.putArray("objects");
        ArrayNode prefixes = body.putArray("prefixes");
        List<String> seenPrefixes = new ArrayList<>();
        NavigableMap<String, StoredObject> view = start == null ? bucket.objects : bucket.objects.tailMap(start, true);
        for (Map.Entry<String, StoredObject> e : view.entrySet()) {
            String name = e.getKey();
            if (end != null && name.compareTo(end) >= 0) {
                break;
            }
            if (!name.startsWith(prefix)) {
                if (name.compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (objects.size() + prefixes.size() == limit) {
                body.put("nextStartWith", name);
                break;
            }
            if (delimiter != null && !delimiter.isEmpty()) {
                int cut = name.indexOf(delimiter, prefix.length());
                if (cut >= 0) {
                    String p = name.substring(0, cut + delimiter.length());
                    if (!seenPrefixes.contains(p)) {
                        seenPrefixes.add(p);
                        prefixes.add(p);
                    }
                    continue;
                }
            }
            ObjectNode item = objects.addObject();
            item.put("name", name);
            StoredObject object = e.getValue();
            if (fields.contains("size")) {
                item.put("size", object.size());
            }
            if (fields.contains("md5")) {
                item.put("md5", object.listedMd5());
            }
            if (fields.contains("etag")) {
                item.put("etag", object.etag());
            }
            if (fields.contains("timeCreated")) {
                item.put("timeCreated", object.lastModified().toString());
            }
            if (fields.contains("timeModified")) {
                item.put("timeModified", object.lastModified().toString());
            }
        }
        Exchanges.sendJson(r.exchange, 200, body);
    }

    // ---- multipart

    private void createUpload(OciRequest r, Bucket bucket) throws IOException {
        JsonNode details = r.json();
        String object = details.path("object").asText("");
        if (object.isEmpty()) {
            OciEmulator.error(r.exchange, 400, "InvalidParameter", "object is required");
            return;
        }
        Map<String, String> metadata = new HashMap<>();
        details.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        String uploadId = UUID.randomUUID().toString();
        String created = clock.instant().toString();
        bucket.uploads.put(uploadId, new Upload(object, uploadId, created, r.header("if-match"), r.header("if-none-match"),
                details.path("contentType").asText("application/octet-stream"), Map.copyOf(metadata)));
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("namespace", namespace);
        body.put("bucket", bucketName(r));
        body.put("object", object);
        body.put("uploadId", uploadId);
        body.put("timeCreated", created);
        body.put("storageTier", "Standard");
        Exchanges.sendJson(r.exchange, 200, body);
    }

    private static String bucketName(OciRequest r) {
        return r.segment(3);
    }

    private Optional<Upload> upload(OciRequest r, Bucket bucket, String object) throws IOException {
        Upload upload = bucket.uploads.get(r.query.getOrDefault("uploadId", ""));
        if (upload == null || !upload.object.equals(object)) {
            r.body();
            // OCI's generic 404 code for a resource that does not exist or may not be seen (Oracle's "API Errors"
            // reference lists no upload-specific one; the writer relies on the status only); "NoSuchUpload" is S3's.
            OciEmulator.error(r.exchange, 404, "NotAuthorizedOrNotFound", "The upload does not exist: it was committed, aborted or never created");
            return Optional.empty();
        }
        return Optional.of(upload);
    }

    private void uploadPart(OciRequest r, Bucket bucket, String object) throws IOException {
        Optional<Upload> upload = upload(r, bucket, object);
        if (upload.isEmpty()) {
            return;
        }
        int partNum;
        try {
            partNum = Integer.parseInt(r.query.getOrDefault("uploadPartNum", ""));
        } catch (NumberFormatException e) {
            partNum = 0;
        }
        if (partNum < 1 || partNum > MAX_PARTS) {
            r.body();
            OciEmulator.error(r.exchange, 400, "InvalidParameter", "uploadPartNum must be from 1 to " + MAX_PARTS);
            return;
        }
        if (r.header("Content-Length").isEmpty()) {
            OciEmulator.error(r.exchange, 411, "MissingContentLength", "Content-Length is required");
            return;
        }
        byte[] content = r.body();
        byte[] md5 = md5(content);
        String md5Base64 = Base64.getEncoder().encodeToString(md5);
        Optional<String> expected = r.header("Content-MD5");
        if (expected.isPresent() && !expected.get().equals(md5Base64)) {
            OciEmulator.error(r.exchange, 400, "InvalidContentMD5", "The computed MD5 of part " + partNum
                    + " does not match the Content-MD5 header");
            return;
        }
        String etag = UUID.randomUUID().toString();
        upload.get().parts.put(partNum, new Part(discardContent ? new byte[0] : content, content.length, md5, etag));
        r.exchange.getResponseHeaders().set("ETag", etag);
        r.exchange.getResponseHeaders().set("opc-content-md5", md5Base64);
        Exchanges.sendEmpty(r.exchange, 200);
    }

    private void commit(OciRequest r, Bucket bucket, String object) throws IOException {
        Optional<Upload> found = upload(r, bucket, object);
        if (found.isEmpty()) {
            return;
        }
        Upload upload = found.get();
        JsonNode details = r.json();
        List<Integer> numbers = new ArrayList<>();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        for (JsonNode part : details.path("partsToCommit")) {
            int number = part.path("partNum").asInt();
            Part stored = upload.parts.get(number);
            if (stored == null || !stored.etag().equals(part.path("etag").asText())) {
                OciEmulator.error(r.exchange, 400, "InvalidUploadPart", "Part " + number + " was not uploaded with that ETag");
                return;
            }
            numbers.add(number);
        }
        List<Integer> sorted = new ArrayList<>(numbers);
        sorted.sort(null);
        if (numbers.isEmpty() || !numbers.equals(sorted) || sorted.stream().distinct().count() != sorted.size()) {
            OciEmulator.error(r.exchange, 400, "InvalidPartOrder", "partsToCommit must list uploaded parts in ascending order");
            return;
        }
        long size = 0;
        for (int number : numbers) {
            Part part = upload.parts.get(number);
            content.write(part.content());
            md5s.write(part.md5());
            size += part.size();
        }
        String multipartMd5 = Base64.getEncoder().encodeToString(md5(md5s.toByteArray())) + "-" + numbers.size();
        StoredObject stored;
        synchronized (bucket) {
            Optional<String> refusal = precondition(bucket, object, upload.ifMatch.or(() -> r.header("if-match")),
                    upload.ifNoneMatch.or(() -> r.header("if-none-match")));
            if (refusal.isPresent()) {
                OciEmulator.error(r.exchange, 412, refusal.get(), "The precondition of the upload did not hold for " + object);
                return;
            }
            stored = new StoredObject(content.toByteArray(), size, Optional.empty(), Optional.of(multipartMd5), UUID.randomUUID().toString(),
                    clock.instant(), upload.contentType, upload.metadata);
            bucket.objects.put(object, stored);
            bucket.uploads.remove(upload.uploadId);
        }
        r.exchange.getResponseHeaders().set("ETag", stored.etag());
        r.exchange.getResponseHeaders().set("opc-multipart-md5", multipartMd5);
        r.exchange.getResponseHeaders().set("last-modified", HTTP_DATE.format(stored.lastModified()));
        Exchanges.sendEmpty(r.exchange, 200);
        created(bucketName(r), object, stored);
    }

    private void abort(OciRequest r, Bucket bucket, String object) throws IOException {
        Optional<Upload> upload = upload(r, bucket, object);
        if (upload.isPresent()) {
            bucket.uploads.remove(upload.get().uploadId);
            Exchanges.sendEmpty(r.exchange, 204);
        }
    }

    private void listParts(OciRequest r, Bucket bucket, String object) throws IOException {
        Optional<Upload> upload = upload(r, bucket, object);
        if (upload.isEmpty()) {
            return;
        }
        int limit = Math.max(1, Math.min(1000, Integer.parseInt(r.query.getOrDefault("limit", "1000"))));
        int after = Integer.parseInt(r.query.getOrDefault("page", "0"));
        ArrayNode parts = Exchanges.JSON.createArrayNode();
        int last = after;
        for (Map.Entry<Integer, Part> e : upload.get().parts.tailMap(after, false).entrySet()) {
            if (parts.size() == limit) {
                r.exchange.getResponseHeaders().set("opc-next-page", String.valueOf(last));
                break;
            }
            ObjectNode part = parts.addObject();
            part.put("partNumber", e.getKey());
            part.put("etag", e.getValue().etag());
            part.put("md5", Base64.getEncoder().encodeToString(e.getValue().md5()));
            part.put("size", e.getValue().size());
            last = e.getKey();
        }
        Exchanges.sendJson(r.exchange, 200, parts);
    }

    private void listUploads(OciRequest r, Bucket bucket) throws IOException {
        ArrayNode uploads = Exchanges.JSON.createArrayNode();
        bucket.uploads.values().stream().sorted((a, b) -> a.object.compareTo(b.object)).forEach(u -> {
            ObjectNode item = uploads.addObject();
            item.put("namespace", namespace);
            item.put("bucket", bucketName(r));
            item.put("object", u.object);
            item.put("uploadId", u.uploadId);
            item.put("timeCreated", u.created);
            item.put("storageTier", "Standard");
        });
        Exchanges.sendJson(r.exchange, 200, uploads);
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5Base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(md5(bytes));
    }
}
