package dev.fusionextract.fusion;

/** Full or incremental extract, and the words Fusion's DataExport job expects for each. */
public enum ExtractMode {
    FULL("Full Data Extract", "Full"),
    INCREMENTAL("Incremental Data Extract", "Incremental");

    private final String argument;
    private final String label;

    ExtractMode(String argument, String label) {
        this.argument = argument;
        this.label = label;
    }

    /** The value of {@code submit.argument2}. */
    public String argument() {
        return argument;
    }

    /** The word used in the job description. */
    public String label() {
        return label;
    }
}
