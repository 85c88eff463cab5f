package dev.fusionextract.emulator.fusion;

/** The simulator's endpoints, each with its own queue of injected faults. */
public enum Endpoint {
    TOKEN,
    SUBMIT,
    LIST_JOBS,
    STATUS,
    LIST_FILES,
    DOWNLOAD
}
