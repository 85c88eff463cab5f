package dev.fusionextract.messages;

/** Which service runs the job that a POLL message asks about. */
public enum JobSystem {
    /** A Fusion Batch Processing job (Data Extraction). */
    FUSION,
    /** An OCI Data Integration task run. */
    DATA_INTEGRATION
}
