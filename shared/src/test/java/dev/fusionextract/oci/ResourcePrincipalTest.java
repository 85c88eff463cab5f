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
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK's real resource-principal code path, signing with a minted RPST, verified by the emulator. */
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
}
