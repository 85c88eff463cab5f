package dev.fusionextract.fusion;

import dev.fusionextract.failure.PermanentException;

import java.util.regex.Pattern;

/** The id Fusion gives a job request (numeric in every response seen; kept as text, checked to be path-safe). */
public record JobRequestId(String value) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public JobRequestId {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new PermanentException("A Fusion job request id must be 1 to 64 letters, digits, '_' or '-', got \""
                    + (value == null ? "null" : value.length() > 70 ? value.substring(0, 70) + "..." : value) + "\".");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
