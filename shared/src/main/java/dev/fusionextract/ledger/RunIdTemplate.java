package dev.fusionextract.ledger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run id with placeholders, filled from the time a request arrives: how a schedule gives each occurrence its own
 * run and a repeated invocation of one occurrence the same run. {@code suppliers-nightly-{date}} arriving at
 * 2026-03-04T02:00:07Z is the run {@code suppliers-nightly-2026-03-04}.
 *
 * <p>The rule for one occurrence: the UTC calendar unit of the template's finest placeholder. Every invocation that
 * arrives within that unit (the same day for {@code {date}}, the same hour for {@code {hour}}) is the same
 * occurrence: a repeated or late invocation finds the run and submits nothing. Placeholders: {@code {date}}
 * (2026-03-04), {@code {hour}} (2026-03-04-02), {@code {minute}} (2026-03-04-0200), {@code {month}} (2026-03),
 * {@code {week}} (ISO week, 2026-W10).
 */
public final class RunIdTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final Map<String, DateTimeFormatter> UNITS = Map.of(
            "minute", DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm").withZone(ZoneOffset.UTC),
            "hour", DateTimeFormatter.ofPattern("yyyy-MM-dd-HH").withZone(ZoneOffset.UTC),
            "date", DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC),
            "week", new java.time.format.DateTimeFormatterBuilder().appendValue(java.time.temporal.IsoFields.WEEK_BASED_YEAR, 4)
                    .appendLiteral("-W").appendValue(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR, 2).toFormatter()
                    .withZone(ZoneOffset.UTC),
            "month", DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC));
    public static final String RULE = "a run id with one or more of {date}, {hour}, {minute}, {week}, {month} (filled in UTC from the "
            + "time the request arrives), " + RunId.RULE + " once filled";

    private RunIdTemplate() {
    }

    /** Whether the text has placeholders at all: a plain run id is not a template. */
    public static boolean isTemplate(String text) {
        return text != null && text.indexOf('{') >= 0;
    }

    /** What is wrong with a template, or empty when it fills to a valid run id. */
    public static Optional<String> problem(String field, String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!UNITS.containsKey(m.group(1))) {
                return Optional.of(field + " has an unknown placeholder {" + m.group(1) + "}; it must be " + RULE);
            }
        }
        String filled = fill(template, Instant.parse("2026-12-31T23:59:59Z"));
        return RunId.valid(filled) && !filled.contains("{") && !filled.contains("}") ? Optional.empty()
                : Optional.of(field + " must be " + RULE);
    }

    /** The run id of the occurrence {@code at} falls in. The template must be valid ({@link #problem} empty). */
    public static String fill(String template, Instant at) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            DateTimeFormatter unit = UNITS.get(m.group(1));
            m.appendReplacement(filled, Matcher.quoteReplacement(unit == null ? m.group() : unit.format(at)));
        }
        m.appendTail(filled);
        return filled.toString();
    }
}
