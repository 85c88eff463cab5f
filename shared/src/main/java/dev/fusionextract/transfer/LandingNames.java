package dev.fusionextract.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a run's objects land: {@code <landing prefix>/<extract name>/<yyyy-mm-dd>/<jobRequestId>/<safe entry path>},
 * the date being the day (UTC) the job was submitted, and {@code _manifest.json} in that folder. Names are
 * derived: every segment of an entry path is reduced to letters, digits, {@code .}, {@code _} and {@code -}.
 */
public record LandingNames(String folder) {

    public static final String MANIFEST = "_manifest.json";
    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}._-]");

    public static LandingNames of(String landingPrefix, String extractName, LocalDate submitted, String jobRequestId) {
        return new LandingNames(landingPrefix.replaceAll("/+$", "") + "/" + segment(extractName) + "/" + submitted + "/" + segment(jobRequestId) + "/");
    }

    /**
     * A run's folder: the request's landing prefix ({@code defaultPrefix} when it names none), its extract, the day
     * it was submitted and its job id.
     */
    public static LandingNames forRun(RunRecord run, String defaultPrefix) {
        JsonNode request = run.request() == null ? NullNode.getInstance() : run.request();
        Instant submitted = run.reachedAt(RunState.SUBMITTED).orElse(run.created());
        String fallback = defaultPrefix == null || defaultPrefix.isEmpty() ? "fusion" : defaultPrefix;
        return of(request.path("landingPrefix").asText(fallback), request.path("extractName").asText("extract"),
                submitted.atZone(ZoneOffset.UTC).toLocalDate(), String.valueOf(run.jobRequestId()));
    }

    /** The object of a ZIP entry (an already admitted name) or of a file copied as it is. */
    public String object(String entryPath) {
        List<String> segments = new ArrayList<>();
        for (String part : entryPath.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                segments.add(segment(part));
            }
        }
        return folder + String.join("/", segments);
    }

    /** Whether an object name is one the run writes itself (its manifest), whatever the case of its letters. */
    public static boolean isReserved(String objectName) {
        String last = objectName.substring(objectName.lastIndexOf('/') + 1);
        return last.equalsIgnoreCase(MANIFEST);
    }

    public String manifest() {
        return folder + MANIFEST;
    }

    static String segment(String raw) {
        String cleaned = UNSAFE.matcher(raw).replaceAll("_").replaceFirst("^\\.+", "_");
        return cleaned.isEmpty() ? "_" : cleaned;
    }
}
