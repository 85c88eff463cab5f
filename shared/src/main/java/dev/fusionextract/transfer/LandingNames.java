package dev.fusionextract.transfer;

import java.time.LocalDate;
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

    public String manifest() {
        return folder + MANIFEST;
    }

    static String segment(String raw) {
        String cleaned = UNSAFE.matcher(raw).replaceAll("_").replaceFirst("^\\.+", "_");
        return cleaned.isEmpty() ? "_" : cleaned;
    }
}
