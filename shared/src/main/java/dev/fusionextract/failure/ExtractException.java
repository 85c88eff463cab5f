package dev.fusionextract.failure;

/**
 * Base of every failure this project reports. Each one says whether trying again later can help; its message
 * names the thing that failed and the fix, and never carries a secret.
 */
public abstract class ExtractException extends RuntimeException {

    protected ExtractException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later (network, throttling, a server's bad moment). */
    public abstract boolean retryable();
}
