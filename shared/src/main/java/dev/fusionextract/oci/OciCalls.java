package dev.fusionextract.oci;

import com.oracle.bmc.model.BmcException;
import dev.fusionextract.failure.TransientException;
import dev.fusionextract.retry.Retrier;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * Runs OCI SDK calls under the project's retry policy. The SDK's own retries are off (see {@link OciClients}):
 * in SDK 3.12.1 they never retry a connection that broke before an answer, because that failure only becomes
 * a {@code BmcException} outside the SDK's retrier. Here a call is retried on 429, 500, 502, 503, 504, a
 * timeout, or a connection failure; any other {@code BmcException} (404, 409, 412, ...) reaches the caller
 * unchanged, so it can act on the status.
 */
public final class OciCalls {

    private final Retrier retrier;

    public OciCalls(Retrier retrier) {
        this.retrier = retrier;
    }

    public <T> T call(String what, Supplier<T> call) {
        return retrier.call(what, () -> {
            try {
                return call.get();
            } catch (BmcException e) {
                if (retryable(e)) {
                    throw new TransientException(what + " failed with " + describe(e), e);
                }
                throw e;
            }
        });
    }

    public static boolean retryable(BmcException e) {
        int status = e.getStatusCode();
        if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504 || e.isTimeout()) {
            return true;
        }
        if (status != -1) {
            return false;
        }
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String describe(BmcException e) {
        return e.getStatusCode() == -1 ? "a broken connection" : "HTTP " + e.getStatusCode() + " (" + e.getServiceCode() + ")";
    }
}
