package dev.fusionextract.fusion;

import dev.fusionextract.failure.InvalidRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Data Extraction job to submit: which extract definition, full or incremental, now or recurring. The
 * label starts the job's description in Fusion ({@code <label>::<extract>::<Full|Incremental>::<Immediate|Recurring>}),
 * so a person can find our jobs in the scheduler.
 */
public record ExtractJob(String extractName, ExtractMode mode, Optional<Recurrence> recurrence, String label) {

    public static final String DEFAULT_LABEL = "fusion-extract";
    private static final int MAX_NAME = 200;

    public ExtractJob {
        List<String> problems = new ArrayList<>();
        if (extractName == null || extractName.isBlank()) {
            problems.add("extractName is required: the name of the extract definition in Fusion");
        } else if (extractName.length() > MAX_NAME || extractName.chars().anyMatch(Character::isISOControl)
                || extractName.contains("::")) {
            problems.add("extractName must be at most " + MAX_NAME + " characters without control characters or \"::\"");
        }
        if (mode == null) {
            problems.add("mode must be FULL or INCREMENTAL");
        }
        if (label == null || label.isBlank() || label.contains("::") || label.chars().anyMatch(Character::isISOControl)) {
            problems.add("label must be non-empty text without control characters or \"::\"");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("The extract job", problems);
        }
        recurrence = recurrence == null ? Optional.empty() : recurrence;
    }

    public static ExtractJob immediate(String extractName, ExtractMode mode) {
        return new ExtractJob(extractName, mode, Optional.empty(), DEFAULT_LABEL);
    }

    public static ExtractJob recurring(String extractName, ExtractMode mode, Recurrence recurrence) {
        return new ExtractJob(extractName, mode, Optional.of(recurrence), DEFAULT_LABEL);
    }

    public ExtractJob withLabel(String newLabel) {
        return new ExtractJob(extractName, mode, recurrence, newLabel);
    }

    public String description() {
        return label + "::" + extractName + "::" + mode.label() + "::" + (recurrence.isPresent() ? "Recurring" : "Immediate");
    }
}
