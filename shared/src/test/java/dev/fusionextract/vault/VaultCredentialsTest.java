package dev.fusionextract.vault;

import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.retry.Retrier;
import dev.fusionextract.retry.RetryPolicy;
import dev.fusionextract.testing.FusionFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.fusionextract.testing.FusionFixture.SECRET_OCID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Through the real SDK SecretsClient against the OCI emulator's Secrets endpoint. */
class VaultCredentialsTest {

    private final FusionFixture fx = new FusionFixture();
    private final Redactor redactor = new Redactor();
    private final VaultCredentials vault = new VaultCredentials(fx.secrets,
            new OciCalls(new Retrier(RetryPolicy.defaults(), fx.time, fx.time, () -> 0.5, fx.log.log())), redactor);

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void readsClientCredentialsFromTheSecret() {
        IdcsCredentials credentials = vault.read(SECRET_OCID);
        assertEquals(FusionFixture.CLIENT_ID, credentials.clientId());
        assertEquals(FusionFixture.CLIENT_SECRET, credentials.clientSecret());
        assertEquals(IdcsCredentials.Grant.CLIENT_CREDENTIALS, credentials.grant());
        assertTrue(fx.oci.requests().get(0).header("authorization").orElse("").startsWith("Signature "), "the SDK signed the call");
    }

    @Test
    void aSecretWithAUserSelectsThePasswordGrant() {
        fx.storeSecret("{\"clientId\":\"c\",\"clientSecret\":\"cs-123456\",\"username\":\"u\",\"password\":\"pw-123456\",\"scope\":\"urn:x\"}");
        IdcsCredentials credentials = vault.read(SECRET_OCID);
        assertEquals(IdcsCredentials.Grant.PASSWORD, credentials.grant());
        assertEquals("urn:x", credentials.scope().orElseThrow());
    }

    @Test
    void registersSecretValuesWithTheRedactorAndNeverPrintsThem() {
        IdcsCredentials credentials = vault.read(SECRET_OCID);
        assertFalse(credentials.toString().contains(FusionFixture.CLIENT_SECRET), credentials.toString());
        assertEquals("x ****", redactor.redact("x " + FusionFixture.CLIENT_SECRET));
    }

    @Test
    void aVaultHiccupIsRetried() {
        fx.oci.faults().next(dev.fusionextract.emulator.oci.OciOperation.GET_SECRET_BUNDLE,
                dev.fusionextract.emulator.oci.OciFault.unavailable());
        fx.oci.faults().on(dev.fusionextract.emulator.oci.OciOperation.GET_SECRET_BUNDLE, 2,
                dev.fusionextract.emulator.oci.OciFault.status(429, "TooManyRequests"));
        assertEquals(FusionFixture.CLIENT_ID, vault.read(SECRET_OCID).clientId());
        assertEquals(2, fx.time.sleeps().size());
    }

    @Test
    void aConnectionResetBeforeTheAnswerIsSentAgain() {
        // Who sends it again depends on the connection: the JDK's HTTP client re-sends a GET at once when a kept-alive
        // connection closes before any answer, the retry policy does on a fresh one. Either way the secret is read.
        fx.oci.faults().next(dev.fusionextract.emulator.oci.OciOperation.GET_SECRET_BUNDLE,
                dev.fusionextract.emulator.oci.OciFault.reset());
        assertEquals(FusionFixture.CLIENT_ID, vault.read(SECRET_OCID).clientId());
        assertEquals(2, fx.oci.faults().calls(dev.fusionextract.emulator.oci.OciOperation.GET_SECRET_BUNDLE));
    }

    @Test
    void aMissingSecretNamesTheOcidAndThePolicy() {
        PermanentException e = assertThrows(PermanentException.class, () -> vault.read("ocid1.vaultsecret.oc1.iad.nosuch"));
        assertTrue(e.getMessage().contains("ocid1.vaultsecret.oc1.iad.nosuch"), e.getMessage());
        assertTrue(e.getMessage().contains("read secret-bundles"), e.getMessage());
    }

    @Test
    void contentThatIsNotJsonIsRefusedWithoutEchoingIt() {
        fx.oci.secrets().put(SECRET_OCID, "clientSecret=hunter2-value".getBytes(StandardCharsets.UTF_8));
        PermanentException e = assertThrows(PermanentException.class, () -> vault.read(SECRET_OCID));
        assertTrue(e.getMessage().contains("does not hold JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void missingAndUnpairedFieldsAreAllNamedWithoutValues() {
        fx.storeSecret("{\"username\":\"u\",\"clientSecret\":42,\"passwd\":\"leak-me-123\"}");
        PermanentException e = assertThrows(PermanentException.class, () -> vault.read(SECRET_OCID));
        for (String expected : new String[]{"clientId is missing", "clientSecret must be a string", "clientSecret is missing",
                "username and password go together", "unknown field(s) [passwd]"}) {
            assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("leak-me-123"), e.getMessage());
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsRefused() {
        fx.storeSecret("[\"clientId\"]");
        assertThrows(PermanentException.class, () -> vault.read(SECRET_OCID));
    }
}
