package dev.fusionextract.fusion;

import dev.fusionextract.failure.PermanentException;

/** The bytes downloaded do not match the checksum or size Fusion listed for the file. */
public final class ChecksumMismatchException extends PermanentException {

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
