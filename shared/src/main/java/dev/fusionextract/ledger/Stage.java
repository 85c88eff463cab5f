package dev.fusionextract.ledger;

/** The stages that handle a run, each counting its own attempts. */
public enum Stage {
    SUBMIT, POLL, TRANSFER, LOAD
}
