package dev.fusionextract.fusion;

import dev.fusionextract.failure.PermanentException;

/** A download link that would send the bearer token somewhere other than the configured Fusion host. */
public final class RefusedLinkException extends PermanentException {

    public RefusedLinkException(String message) {
        super(message);
    }
}
