package dev.fusionextract.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.idcs.TokenSource;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.retry.Retrier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Fusion Batch Processing ("saas-batch") API: submit a Data Extraction job, read its status, list its
 * output files, download them. Every call carries a bearer token for the batch scope, retries what is
 * retryable, and sends the token only to the configured host.
 */
public final class FusionBatchClient {

    static final String SCHEDULER = "/api/saas-batch/jobscheduler/v1/jobRequests";
    static final String FILE_MANAGER = "/api/saas-batch/jobfilemanager/v1/jobRequests";
    static final int PAGE_SIZE = 100;
    /** At most this many pages (100,000 files) are read for one job; a listing that goes on is refused. */
    static final int MAX_PAGES = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final URI base;
    private final FusionHttp http;
    private final DownloadLinks links;
    private final ScheduleDateFormat dates;
    private final JsonLog log;
    private final Set<String> reportedUnknown = ConcurrentHashMap.newKeySet();

    public FusionBatchClient(URI baseUrl, HttpClient httpClient, TokenSource tokens, Retrier retrier, Duration timeout,
                             ScheduleDateFormat dates, Clock clock, JsonLog log) {
        this.base = baseUrl;
        this.http = new FusionHttp(httpClient, tokens, retrier, timeout, clock, log.redactor());
        this.links = new DownloadLinks(baseUrl);
        this.dates = dates;
        this.log = log;
    }

    /** Submits the job; returns the id from the {@code Location} header of Fusion's 2xx answer. */
    public JobRequestId submit(ExtractJob job) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(submission(job));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + SCHEDULER))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> response = http.send("Submitting extract " + job.extractName(), request, false);
        discard(response);
        String location = response.headers().firstValue("Location").orElseThrow(() -> new PermanentException(
                "Fusion accepted extract " + job.extractName() + " (HTTP " + response.statusCode() + ") but sent no Location "
                        + "header, so the job cannot be followed. Find it in Fusion's scheduler by its description "
                        + job.description() + "."));
        JobRequestId id = jobIdFrom(location, job);
        log.info("job submitted", "extract", job.extractName(), "mode", job.mode(), "jobId", id.value(),
                "recurring", job.recurrence().isPresent());
        return id;
    }

    /**
     * The job id: the last path segment of the Location header, read as text (a malformed URL must not lose a job
     * that exists). A header that names no id fails the run with the description to find the job by.
     */
    static JobRequestId jobIdFrom(String location, ExtractJob job) {
        String path = location.trim().replaceFirst("[?#].*$", "").replaceAll("/+$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        try {
            // Fusion's job request ids are numbers (Oracle's examples, every answer seen): "jobRequests" is no id.
            if (!last.matches("\\d{1,19}")) {
                throw new PermanentException("not a job request id: " + last);
            }
            return new JobRequestId(last);
        } catch (PermanentException e) {
            throw new PermanentException("Fusion accepted extract " + job.extractName() + " but its Location header \""
                    + (location.length() > 120 ? location.substring(0, 120) + "..." : location) + "\" names no job id, so the job "
                    + "cannot be followed. It exists: find it in Fusion's Scheduled Processes by its description " + job.description()
                    + ", and download its output there.", e);
        }
    }

    /** The JSON Fusion's DataExport job expects. */
    ObjectNode submission(ExtractJob job) {
        ObjectNode root = JSON.createObjectNode();
        root.put("serviceName", "boss");
        root.put("jobDefinitionName", "DataExport");
        root.put("description", job.description());
        ObjectNode parameters = root.putObject("requestParameters");
        parameters.put("submit.argument1", job.extractName());
        parameters.put("submit.argument2", job.mode().argument());
        job.recurrence().ifPresent(r -> {
            ObjectNode runAt = root.putObject("runAtTimes");
            ObjectNode interval = runAt.putObject("fixedInterval");
            interval.put("interval", r.interval());
            interval.put("timeUnit", r.unit().name());
            runAt.put("startDate", dates.formatter().format(r.startDate()));
            runAt.put("endDate", dates.formatter().format(r.endDate()));
            runAt.put("startTime", r.startTime());
            runAt.put("endTime", r.endTime());
        });
        return root;
    }

    /**
     * A read-only call that proves the pod answers the batch API with this token: the first page (one item) of the
     * job requests list. Returns how many items that page held (0 on a pod with no job yet).
     */
    public int probe() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + SCHEDULER + "?limit=1"))
                .header("Accept", "application/json").GET();
        return readJson(http.send("Listing Fusion job requests", request, true), "list of job requests").path("items").size();
    }

    /** A page of the job requests list: its items as Fusion wrote them, and whether more follow. */
    public record JobPage(List<JsonNode> items, boolean hasMore) {
    }

    /**
     * A page of {@code GET .../jobscheduler/v1/jobRequests} ({@code limit}, {@code offset}: Oracle REST's paging).
     * More follow when {@code hasMore} says so, or, without it, when the page was full.
     */
    public JobPage jobRequests(int offset, int limit) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + SCHEDULER + "?limit=" + limit + "&offset=" + offset))
                .header("Accept", "application/json").GET();
        JsonNode root = readJson(http.send("Listing Fusion job requests", request, true), "list of job requests");
        List<JsonNode> items = new java.util.ArrayList<>();
        root.path("items").forEach(items::add);
        boolean more = root.path("hasMore").isBoolean() ? root.path("hasMore").asBoolean() : items.size() >= limit;
        return new JobPage(List.copyOf(items), more);
    }

    public JobStatus status(JobRequestId id) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + SCHEDULER + "/" + id.value()))
                .header("Accept", "application/json").GET();
        JsonNode root = readJson(http.send("Reading the status of job " + id, request, true), "status of job " + id);
        return parseStatus(id, root);
    }

    JobStatus parseStatus(JobRequestId id, JsonNode root) {
        JsonNode details = root.path("jobDetails");
        JsonNode progress = root.path("jobProgress").isObject() ? root.path("jobProgress") : details.path("jobProgress");
        String name = firstText(root.path("jobStatus"), details.path("jobStatus"), root.path("jobProgress").path("status"),
                details.path("jobProgress").path("status"));
        if (name.isEmpty()) {
            throw new TransientException("Fusion's status answer for job " + id + " has no status in jobStatus, "
                    + "jobDetails.jobStatus or jobProgress.status; will ask again.", null);
        }
        String normalised = JobStatusTable.normalise(name);
        Optional<JobState> known = JobStatusTable.lookup(normalised);
        if (known.isEmpty() && reportedUnknown.add(normalised)) {
            log.warn("unknown Fusion job status, treated as still running", "jobId", id.value(), "status", normalised);
        }
        String message = progress.path("message").asText("");
        return new JobStatus(id, normalised, known.orElse(JobState.RUNNING), known.isPresent(),
                message.isBlank() ? Optional.empty() : Optional.of(message),
                percentage(progress.path("completedPercentage")),
                progress.path("completed").isBoolean() ? Optional.of(progress.path("completed").asBoolean()) : Optional.empty());
    }

    /** Every output file of the job, following pages until all are seen. */
    public List<OutputFile> outputFiles(JobRequestId id) {
        return outputFiles(id, () -> true);
    }

    /**
     * Every output file of the job, following pages until all are seen, while {@code goOn} says there is time:
     * a listing that outlasts the invocation is a transient failure, one that repeats itself or runs past
     * {@value #MAX_PAGES} pages a permanent one.
     */
    public List<OutputFile> outputFiles(JobRequestId id, java.util.function.BooleanSupplier goOn) {
        Map<String, OutputFile> files = new LinkedHashMap<>();
        int offset = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            if (page > 0 && !goOn.getAsBoolean()) {
                throw new TransientException("Listing the output files of job " + id + " did not end within the invocation's time ("
                        + offset + " files in " + page + " pages); will list again.", null);
            }
            int before = files.size();
            URI uri = URI.create(base + FILE_MANAGER + "/" + id.value() + "/outputFiles?limit=" + PAGE_SIZE + "&offset=" + offset);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
            JsonNode root = readJson(http.send("Listing output files of job " + id, request, true), "output files of job " + id);
            JsonNode items = root.path("items");
            for (JsonNode item : items) {
                OutputFile file = outputFile(id, item);
                files.putIfAbsent(file.name(), file);
            }
            offset += items.size();
            Optional<Integer> total = root.path("totalItems").isNumber() ? Optional.of(root.path("totalItems").asInt()) : Optional.empty();
            Optional<Boolean> hasMore = root.path("hasMore").isBoolean() ? Optional.of(root.path("hasMore").asBoolean()) : Optional.empty();
            boolean nextLink = false;
            for (JsonNode link : root.path("links")) {
                nextLink |= "next".equals(link.path("rel").asText());
            }
            boolean allSeen = total.isPresent() && offset >= total.get();
            boolean more = hasMore.orElse(total.isPresent() ? !allSeen : nextLink);
            if (hasMore.equals(Optional.of(false)) || allSeen || !more) {
                return List.copyOf(files.values());
            }
            if (items.isEmpty()) {
                throw new TransientException("Fusion listed " + offset + " of " + total.map(String::valueOf).orElse("more")
                        + " output files of job " + id + " and then an empty page; will list again later.", null);
            }
            if (files.size() == before) {
                throw new PermanentException("Fusion's listing of the output files of job " + id + " repeats itself: page " + (page + 1)
                        + " (offset " + (offset - items.size()) + ") names only files already listed, yet says there are more. "
                        + "Report it to Oracle; the job's files can be downloaded from Fusion's Scheduled Processes meanwhile.");
            }
        }
        throw new PermanentException("Listing the output files of job " + id + " did not end after " + MAX_PAGES + " pages ("
                + files.size() + " files); a job with more output files than that is not supported.");
    }

    private OutputFile outputFile(JobRequestId id, JsonNode item) {
        String name = item.path("fileName").asText("");
        if (name.isEmpty()) {
            throw new PermanentException("Fusion listed an output file of job " + id + " without a fileName: report it to Oracle; "
                    + "the job's files can be downloaded from Fusion's Scheduled Processes meanwhile.");
        }
        String href = item.path("$context").path("links").path("enclosure").path("href").asText("");
        URI content = href.isEmpty()
                ? URI.create(base + FILE_MANAGER + "/" + id.value() + "/outputFiles/" + encodeSegment(name) + "/content")
                : links.resolve(href);
        long size = item.path("fileSize").canConvertToLong() ? item.path("fileSize").asLong() : -1;
        return new OutputFile(name, SafeName.of(name), size, sha256(name, item.path("checksum").asText("")),
                item.path("timeCreated").asText(""), content);
    }

    /** Opens an output file; the stream resumes after broken connections and checks size and SHA-256 at its end. */
    public InputStream download(OutputFile file) {
        links.check(file.content());
        return new DownloadStream(file, offset -> open(file, offset), http.retrier().policy().maxAttempts(), log);
    }

    private InputStream open(OutputFile file, long offset) {
        HttpRequest.Builder request = HttpRequest.newBuilder(file.content())
                .header("Accept", "application/octet-stream")
                .GET();
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = http.send("Downloading " + file.safeName(), request, true);
        InputStream body = response.body();
        if (offset == 0) {
            return body;
        }
        try {
            if (response.statusCode() == 206) {
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + offset + "-")) {
                    body.close();
                    throw new TransientException("Resuming " + file.safeName() + " at byte " + offset + " got range '" + range + "'.", null);
                }
            } else {
                body.skipNBytes(offset); // the server ignored Range: drop what we already have
            }
            return body;
        } catch (IOException e) {
            throw new TransientException("Resuming " + file.safeName() + " at byte " + offset + " failed: " + e.getMessage(), e);
        }
    }

    private Optional<String> sha256(String name, String checksum) {
        if (checksum.isBlank()) {
            return Optional.empty();
        }
        int eq = checksum.indexOf('=');
        String algorithm = eq < 0 ? "" : checksum.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? checksum.trim() : checksum.substring(eq + 1).trim();
        if (!algorithm.isEmpty() && !algorithm.equals("sha-256") && !algorithm.equals("sha256")) {
            log.warn("output file checksum in an unknown algorithm, not verified", "file", SafeName.of(name), "algorithm", algorithm);
            return Optional.empty();
        }
        if (HEX_SHA256.matcher(value).matches()) {
            return Optional.of(value.toLowerCase(Locale.ROOT));
        }
        try {
            byte[] raw = Base64.getDecoder().decode(value);
            if (raw.length == 32) {
                return Optional.of(HexFormat.of().formatHex(raw));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new PermanentException("Fusion listed output file " + SafeName.of(name) + " with a malformed SHA-256 checksum, so it "
                + "cannot be verified: report it to Oracle; the file can be downloaded from Fusion's Scheduled Processes meanwhile.");
    }

    private JsonNode readJson(HttpResponse<InputStream> response, String what) {
        try (InputStream body = response.body()) {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new TransientException("Fusion's answer for the " + what + " is not a JSON object; will ask again.", null);
            }
            return json;
        } catch (IOException e) {
            throw new TransientException("Fusion's answer for the " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the status and headers are what matter
        }
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node.isTextual() && !node.asText().isBlank()) {
                return node.asText();
            }
        }
        return "";
    }

    private static OptionalInt percentage(JsonNode node) {
        if (node.isNumber()) {
            return OptionalInt.of(node.asInt());
        }
        try {
            return node.isTextual() ? OptionalInt.of((int) Double.parseDouble(node.asText().trim())) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String encodeSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
