package dev.fusionextract.idcs;

/** Bearer tokens for one scope. */
public interface TokenSource {

    /** A token that is valid now, fetched or cached. */
    AccessToken current();

    /** Drops {@code stale} (refused by the server) so that the next {@link #current()} fetches a new one. */
    void invalidate(AccessToken stale);
}
