package dev.fusionextract.idcs;

import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryPolicy;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.FusionSimulator;
import dev.fusionextract.testing.CapturedLog;
import dev.fusionextract.testing.ManualTime;
import dev.fusionextract.vault.IdcsCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdcsTokenTest {

    private static final String SCOPE = FusionSimulator.DEFAULT_BATCH_SCOPE;
    private final ManualTime time = new ManualTime();
    private final CapturedLog log = new CapturedLog(time);
    private final FusionSimulator sim = FusionSimulator.start(0, time);
    private final Redactor redactor = log.log().redactor();
    private final IdcsTokenClient client = new IdcsTokenClient(sim.baseUri(), HttpClient.newHttpClient(), Duration.ofSeconds(10),
            new Retrier(RetryPolicy.defaults(), time, time, () -> 0.5, log.log()), time, redactor);

    private static final IdcsCredentials CLIENT = new IdcsCredentials("client-1", "client-secret-1", Optional.empty(), Optional.empty(), Optional.empty());
    private static final IdcsCredentials USER = new IdcsCredentials("client-1", "client-secret-1", Optional.of("user-1"),
            Optional.of("user-password-1"), Optional.empty());

    IdcsTokenTest() {
        sim.idcs().addClient("client-1", "client-secret-1").addUser("user-1", "user-password-1");
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void getsATokenWithTheClientCredentialsGrant() {
        AccessToken token = client.request(CLIENT, SCOPE);
        assertTrue(sim.idcs().issuedTokens().contains(token.value()));
        assertTrue(sim.requests().get(0).header("authorization").orElseThrow().startsWith("Basic "));
    }

    @Test
    void getsATokenWithThePasswordGrant() {
        AccessToken token = client.request(USER, SCOPE);
        assertTrue(sim.idcs().issuedTokens().contains(token.value()));
    }

    @Test
    void aBadClientSecretIsAClearPermanentError() {
        IdcsCredentials wrong = new IdcsCredentials("client-1", "not-the-secret", Optional.empty(), Optional.empty(), Optional.empty());
        PermanentException e = assertThrows(PermanentException.class, () -> client.request(wrong, SCOPE));
        assertTrue(e.getMessage().contains("invalid_client") && e.getMessage().contains("clientSecret"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
        assertEquals(1, sim.requests().size(), "a refused credential is not retried");
    }

    @Test
    void aBadPasswordAndAnUngrantedScopeAreNamed() {
        IdcsCredentials badPassword = new IdcsCredentials("client-1", "client-secret-1", Optional.of("user-1"), Optional.of("nope-nope"), Optional.empty());
        assertTrue(assertThrows(PermanentException.class, () -> client.request(badPassword, SCOPE)).getMessage().contains("username or password"));
        assertTrue(assertThrows(PermanentException.class, () -> client.request(CLIENT, "urn:opc:resource:fusion:other:saas-batch/"))
                .getMessage().contains("invalid_scope"));
    }

    @Test
    void retriesAThrottledTokenEndpoint() {
        sim.faults(Endpoint.TOKEN).add(Fault.tooManyRequests(Duration.ofSeconds(3)));
        client.request(CLIENT, SCOPE);
        assertEquals(List.of(Duration.ofSeconds(3)), time.sleeps());
    }

    @Test
    void registersTokensWithTheRedactor() {
        AccessToken token = client.request(CLIENT, SCOPE);
        assertEquals("****", redactor.redact(token.value()));
        assertFalse(token.toString().contains(token.value()));
    }

    @Test
    void cachesOneTokenPerScopeUntilShortlyBeforeItExpires() {
        sim.idcs().allowScope("urn:second/");
        TokenCache cache = new TokenCache(client, CLIENT, time);
        AccessToken first = cache.get(SCOPE);
        assertEquals(first, cache.get(SCOPE));
        assertNotEquals(first, cache.get("urn:second/"));
        assertEquals(2, sim.idcs().tokensIssued());

        time.advance(Duration.ofMinutes(58)); // one hour tokens are refreshed a minute early
        assertEquals(first, cache.get(SCOPE));
        time.advance(Duration.ofSeconds(61));
        assertNotEquals(first, cache.get(SCOPE));
        assertEquals(3, sim.idcs().tokensIssued());
    }

    @Test
    void invalidateDropsOnlyTheStaleToken() {
        TokenCache cache = new TokenCache(client, CLIENT, time);
        AccessToken first = cache.get(SCOPE);
        cache.invalidate(SCOPE, first);
        AccessToken second = cache.get(SCOPE);
        cache.invalidate(SCOPE, first); // a late caller that saw the old token
        assertEquals(second, cache.get(SCOPE));
        assertEquals(2, sim.idcs().tokensIssued());
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        TokenCache cache = new TokenCache(client, CLIENT, time);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                seen.add(cache.get(SCOPE).value());
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1, seen.size());
        assertEquals(1, sim.idcs().tokensIssued());
    }
}
