package dev.fusionextract.idcs;

import dev.fusionextract.logging.Redactor;

import java.time.Instant;

/** A bearer token and when to stop using it. {@link #toString()} never shows the value. */
public record AccessToken(String value, Instant refreshAt) {

    @Override
    public String toString() {
        return "AccessToken[" + Redactor.MASK + ", refreshAt=" + refreshAt + "]";
    }
}
