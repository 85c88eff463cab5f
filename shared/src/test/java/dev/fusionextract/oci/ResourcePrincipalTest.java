package dev.fusionextract.oci;

import com.oracle.bmc.auth.AbstractAuthenticationDetailsProvider;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.emulator.oci.PemKeys;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.emulator.oci.ResourcePrincipalFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resource-principal signing with a minted RPST through the SDK's own request signer, verified by the emulator. */
class ResourcePrincipalTest {

    private final OciEmulator oci = OciEmulator.start();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        oci.close();
    }

    private OciClients clients(Map<String, String> environment) {
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of(
                "OCI_OBJECT_STORAGE_ENDPOINT", oci.endpoint().toString(), "CONTROL_BUCKET", "control")));
        AbstractAuthenticationDetailsProvider rp = OciClients.authentication(settings, environment);
        return new OciClients(settings, rp, Duration.ofSeconds(10));
    }

    @Test
    void signsWithTheSessionTokenAndItsKey() throws Exception {
        KeyPair keys = PemKeys.newRsaKeyPair();
        Map<String, String> environment = ResourcePrincipalFiles.environment(dir, keys, Instant.now().plusSeconds(3600));
        try (OciClients clients = clients(environment)) {
            assertEquals("fxnamespace", clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build()).getValue());
        }
        String authorization = oci.requests().get(0).header("authorization").orElseThrow();
        assertTrue(authorization.contains("keyId=\"ST$" + Files.readString(dir.resolve("rpst")) + "\""), authorization);
    }

    @Test
    void anUnencryptedKeyIsReadByTheJdkNotBouncyCastle() throws Exception {
        Map<String, String> environment = ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(), Instant.now().plusSeconds(3600));
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control")));
        assertTrue(OciClients.authentication(settings, environment) instanceof ResourcePrincipal);
    }

    @Test
    void aKeyWithAPassphraseIsLeftToTheSdk() throws Exception {
        Map<String, String> environment = new HashMap<>(ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(),
                Instant.now().plusSeconds(3600)));
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "not-used-by-an-unencrypted-key");
        environment.put("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE", passphrase.toAbsolutePath().toString());
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control")));
        assertTrue(OciClients.authentication(settings, environment)
                instanceof com.oracle.bmc.auth.ResourcePrincipalAuthenticationDetailsProvider);
    }

    @Test
    void aPkcs1KeyIsReadAsWellAsPkcs8() throws Exception {
        KeyPair keys = PemKeys.newRsaKeyPair();
        Map<String, String> environment = ResourcePrincipalFiles.environment(dir, keys, Instant.now().plusSeconds(3600));
        Files.writeString(dir.resolve("private.pem"), pkcs1Pem(keys));
        try (OciClients clients = clients(environment)) {
            assertEquals("fxnamespace", clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build()).getValue());
        }
        assertEquals(keys.getPrivate(), ResourcePrincipal.parse(pkcs1Pem(keys)));
    }

    @Test
    void renewedFilesAreReadBeforeTheNextCall() throws Exception {
        Map<String, String> environment = ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(), Instant.now().plusSeconds(3600));
        try (OciClients clients = clients(environment)) {
            clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build());
            FileTime before = Files.getLastModifiedTime(dir.resolve("rpst"));
            ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(), Instant.now().plusSeconds(7200));
            Files.setLastModifiedTime(dir.resolve("rpst"), FileTime.fromMillis(before.toMillis() + 10_000));
            Files.setLastModifiedTime(dir.resolve("private.pem"), FileTime.fromMillis(before.toMillis() + 10_000));
            clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build());
        }
        String authorization = oci.requests().get(1).header("authorization").orElseThrow();
        assertTrue(authorization.contains("keyId=\"ST$" + Files.readString(dir.resolve("rpst")) + "\""), "signed with the new token");
    }

    @Test
    void aRefusedCallReadsTheFilesAgainAndIsSignedOnceMore() throws Exception {
        Map<String, String> environment = ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(), Instant.now().minusSeconds(60));
        try (OciClients clients = clients(environment)) {
            FileTime tokenWritten = Files.getLastModifiedTime(dir.resolve("rpst"));
            FileTime keyWritten = Files.getLastModifiedTime(dir.resolve("private.pem"));
            // Renewed in place without a new modification time: only the 401 tells the provider to read again.
            ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(), Instant.now().plusSeconds(3600));
            Files.setLastModifiedTime(dir.resolve("rpst"), tokenWritten);
            Files.setLastModifiedTime(dir.resolve("private.pem"), keyWritten);
            assertEquals("fxnamespace", clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build()).getValue());
        }
        assertEquals(2, oci.requests().size(), "refused once, then accepted");
    }

    @Test
    void aKeyThatDoesNotMatchTheTokenIsRefusedWith401() throws Exception {
        KeyPair tokenKey = PemKeys.newRsaKeyPair();
        Map<String, String> environment = new HashMap<>(ResourcePrincipalFiles.environment(dir, tokenKey, Instant.now().plusSeconds(3600)));
        Path otherPem = Files.writeString(dir.resolve("other.pem"), PemKeys.toPem(PemKeys.newRsaKeyPair().getPrivate()));
        environment.put("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", otherPem.toAbsolutePath().toString());
        try (OciClients clients = clients(environment)) {
            BmcException e = assertThrows(BmcException.class,
                    () -> clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build()));
            assertEquals(401, e.getStatusCode());
        }
    }

    @Test
    void withoutAResourcePrincipalTheErrorSaysWhatToSet() {
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control")));
        PermanentException e = assertThrows(PermanentException.class, () -> OciClients.authentication(settings, Map.of()));
        assertTrue(e.getMessage().contains("OCI_AUTH=config_file"), e.getMessage());
    }

    @Test
    void aBrokenKeyIsReportedWithoutQuotingIt() throws Exception {
        Map<String, String> environment = new HashMap<>(ResourcePrincipalFiles.environment(dir, PemKeys.newRsaKeyPair(),
                Instant.now().plusSeconds(3600)));
        environment.put("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", "-----BEGIN PRIVATE KEY-----\nnot-a-key-secret-part\n-----END PRIVATE KEY-----");
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control")));
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            AbstractAuthenticationDetailsProvider rp = OciClients.authentication(settings, environment);
            ((com.oracle.bmc.auth.BasicAuthenticationDetailsProvider) rp).getKeyId();
        });
        assertFalse(String.valueOf(e.getMessage()).contains("not-a-key-secret-part"), e.getMessage());
    }

    /** The key as {@code openssl genrsa} (1.x) and Go's {@code x509.MarshalPKCS1PrivateKey} write it: PKCS#1. */
    private static String pkcs1Pem(KeyPair keys) {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        // PrivateKeyInfo of a 2048-bit key: SEQUENCE(4) version(3) rsaEncryption(15), then OCTET STRING(4) = PKCS#1.
        assertEquals(0x04, pkcs8[22]);
        assertEquals((byte) 0x82, pkcs8[23]);
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        return "-----BEGIN RSA PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n";
    }
}
