package dev.fusionextract.idcs;

import dev.fusionextract.vault.IdcsCredentials;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches one token per scope until its refresh time. Thread-safe: concurrent callers of one scope wait for a
 * single fetch, and an invalidation only drops the token it names, so many threads that saw one 401 cause
 * one refresh.
 */
public final class TokenCache {

    private final IdcsTokenClient client;
    private final IdcsCredentials credentials;
    private final Clock clock;
    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public TokenCache(IdcsTokenClient client, IdcsCredentials credentials, Clock clock) {
        this.client = client;
        this.credentials = credentials;
        this.clock = clock;
    }

    public AccessToken get(String scope) {
        AccessToken cached = tokens.get(scope);
        if (fresh(cached)) {
            return cached;
        }
        synchronized (locks.computeIfAbsent(scope, s -> new Object())) {
            cached = tokens.get(scope);
            if (fresh(cached)) {
                return cached;
            }
            AccessToken fetched = client.request(credentials, scope);
            tokens.put(scope, fetched);
            return fetched;
        }
    }

    public void invalidate(String scope, AccessToken stale) {
        tokens.remove(scope, stale);
    }

    public TokenSource forScope(String scope) {
        return new TokenSource() {
            @Override
            public AccessToken current() {
                return get(scope);
            }

            @Override
            public void invalidate(AccessToken stale) {
                TokenCache.this.invalidate(scope, stale);
            }
        };
    }

    private boolean fresh(AccessToken token) {
        return token != null && clock.instant().isBefore(token.refreshAt());
    }
}
