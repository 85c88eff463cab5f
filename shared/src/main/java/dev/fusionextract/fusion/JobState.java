package dev.fusionextract.fusion;

/** What a Fusion job status means for us. */
public enum JobState {
    RUNNING,
    SUCCEEDED,
    FAILED
}
