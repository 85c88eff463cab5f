package dev.fusionextract.ledger;

/**
 * The stages that handle a run, each counting its own attempts. TRANSFER_WORKER is a helper transfer worker's
 * delivery (TRANSFER_WORKERS above 1): its attempts are held in the run's work objects, and only the errors it
 * meets are counted here, apart from the lead's TRANSFER claim.
 */
public enum Stage {
    SUBMIT, POLL, TRANSFER, TRANSFER_WORKER, LOAD
}
