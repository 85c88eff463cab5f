package dev.fusionextract.fusion;

import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a recurring job's dates are written to Fusion. Oracle's Data Extraction page shows {@code MM/dd/yyyy};
 * a public walkthrough shows {@code yyyy-MM-dd}. Nobody documents which the service insists on, so the
 * choice is a setting (FUSION_SCHEDULE_DATE_FORMAT) with Oracle's form as the default.
 */
public enum ScheduleDateFormat {
    MONTH_DAY_YEAR("MM/dd/yyyy"),
    ISO("yyyy-MM-dd");

    private final String pattern;
    private final DateTimeFormatter formatter;

    ScheduleDateFormat(String pattern) {
        this.pattern = pattern;
        this.formatter = DateTimeFormatter.ofPattern(pattern);
    }

    public String pattern() {
        return pattern;
    }

    public DateTimeFormatter formatter() {
        return formatter;
    }

    public static Optional<ScheduleDateFormat> fromPattern(String pattern) {
        return Arrays.stream(values()).filter(f -> f.pattern.equals(pattern)).findFirst();
    }

    public static String allowedPatterns() {
        return Arrays.stream(values()).map(ScheduleDateFormat::pattern).collect(Collectors.joining(", "));
    }
}
