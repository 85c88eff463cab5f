package dev.fusionextract.ledger;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for a run id, wherever one comes in (a request's {@code runId}, a stage message, the ledger):
 * 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, without "..". A run id becomes an
 * object name ({@code runs/<runId>.json}) and a Fusion job's description, so nothing else gets through.
 */
public final class RunId {

    public static final int MAX_LENGTH = 64;
    public static final String RULE = "1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a letter or digit, "
            + "without \"..\"";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private RunId() {
    }

    public static boolean valid(String runId) {
        return runId != null && SHAPE.matcher(runId).matches() && !runId.contains("..");
    }

    /** What is wrong with {@code runId}, or empty when it is a valid run id. */
    public static Optional<String> problem(String field, String runId) {
        return valid(runId) ? Optional.empty() : Optional.of(field + " must be " + RULE);
    }
}
