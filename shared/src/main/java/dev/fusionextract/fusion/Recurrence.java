package dev.fusionextract.fusion;

import dev.fusionextract.failure.InvalidRequestException;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A recurring schedule ({@code runAtTimes.fixedInterval}): every {@code interval} {@code unit}s from
 * {@code startDate} to {@code endDate}, inside the daily window {@code startTime}–{@code endTime} (HHMM).
 */
public record Recurrence(int interval, Unit unit, LocalDate startDate, LocalDate endDate, String startTime, String endTime) {

    public enum Unit { MINUTE, HOUR, DAY }

    public static final String DEFAULT_START_TIME = "0000";
    public static final String DEFAULT_END_TIME = "2359";
    private static final Pattern HHMM = Pattern.compile("([01]\\d|2[0-3])[0-5]\\d");
    public static final int MAX_INTERVAL = 10_000;

    /** Checks every field and reports all problems at once. Null times take the defaults 0000 and 2359. */
    public static Recurrence of(int interval, Unit unit, LocalDate startDate, LocalDate endDate, String startTime, String endTime) {
        String start = startTime == null ? DEFAULT_START_TIME : startTime;
        String end = endTime == null ? DEFAULT_END_TIME : endTime;
        List<String> problems = new ArrayList<>();
        if (interval < 1 || interval > MAX_INTERVAL) {
            problems.add("interval must be from 1 to " + MAX_INTERVAL + ", got " + interval);
        }
        if (unit == null) {
            problems.add("timeUnit must be MINUTE, HOUR or DAY");
        }
        if (startDate == null) {
            problems.add("startDate is required for a recurring job (e.g. 2026-01-01)");
        }
        if (endDate == null) {
            problems.add("endDate is required for a recurring job (e.g. 2026-12-31)");
        }
        if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
            problems.add("endDate " + endDate + " is before startDate " + startDate);
        }
        boolean startOk = HHMM.matcher(start).matches();
        boolean endOk = HHMM.matcher(end).matches();
        if (!startOk) {
            problems.add("startTime must be HHMM from 0000 to 2359, got \"" + start + "\"");
        }
        if (!endOk) {
            problems.add("endTime must be HHMM from 0000 to 2359, got \"" + end + "\"");
        }
        if (startOk && endOk && start.compareTo(end) >= 0) {
            problems.add("startTime " + start + " must be before endTime " + end);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The recurrence", problems);
        }
        return new Recurrence(interval, unit, startDate, endDate, start, end);
    }
}
