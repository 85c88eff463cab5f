package dev.fusionextract.failure;

/** A failure that trying again will not fix: bad input, a refused credential, a security refusal. */
public class PermanentException extends ExtractException {

    public PermanentException(String message) {
        super(message, null);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean retryable() {
        return false;
    }
}
