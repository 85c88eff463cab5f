package dev.fusionextract.emulator.fusion;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The identity domain the simulator plays: OAuth clients, users, allowed scopes and the tokens it issued. */
public final class IdcsRealm {

    private record Issued(String scope, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Set<String> scopes = ConcurrentHashMap.newKeySet();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger issuedCount = new AtomicInteger();
    private final List<String> everIssued = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile Duration tokenLifetime = Duration.ofHours(1);

    IdcsRealm(Clock clock) {
        this.clock = clock;
    }

    public IdcsRealm addClient(String clientId, String clientSecret) {
        clients.put(clientId, clientSecret);
        return this;
    }

    public IdcsRealm addUser(String username, String password) {
        users.put(username, password);
        return this;
    }

    public IdcsRealm allowScope(String scope) {
        scopes.add(scope);
        return this;
    }

    public IdcsRealm tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /** Makes every token issued so far invalid, as if they had all expired. */
    public void expireAllTokens() {
        tokens.clear();
    }

    /** How many tokens the token endpoint has issued. */
    public int tokensIssued() {
        return issuedCount.get();
    }

    /** Every token value ever issued, expired ones included (tests search logs for them). */
    public List<String> issuedTokens() {
        return List.copyOf(everIssued);
    }

    boolean clientMatches(String clientId, String clientSecret) {
        return clientSecret != null && clientSecret.equals(clients.get(clientId));
    }

    boolean userMatches(String username, String password) {
        return password != null && password.equals(users.get(username));
    }

    boolean scopeAllowed(String scope) {
        return scopes.contains(scope);
    }

    String issue(String scope) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "sim." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, new Issued(scope, clock.instant().plus(tokenLifetime)));
        issuedCount.incrementAndGet();
        everIssued.add(token);
        return token;
    }

    /** True when the token was issued for {@code scope} and has not expired. */
    boolean accepts(Optional<String> token, String scope) {
        if (token.isEmpty()) {
            return false;
        }
        Issued issued = tokens.get(token.get());
        return issued != null && issued.scope().equals(scope) && clock.instant().isBefore(issued.expiresAt());
    }
}
