package dev.fusionextract.oci;

import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import dev.fusionextract.config.ConfigException;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.emulator.oci.PemKeys;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.testing.OciTestAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OciSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsToResourcePrincipalAndSixteenMibPartsFourInFlight() {
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control")));
        assertEquals(OciSettings.Authentication.RESOURCE_PRINCIPAL, settings.authentication());
        assertEquals(16 * 1024 * 1024, settings.partSizeBytes());
        assertEquals(4, settings.partsInFlight());
        assertEquals(Path.of(System.getProperty("user.home"), ".oci", "config"), settings.configFile());
        assertEquals("DEFAULT", settings.profile());
        assertTrue(settings.objectStorageEndpoint().isEmpty() && settings.namespace().isEmpty() && settings.region().isEmpty());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Map<String, String> values = Map.of("OCI_AUTH", "instance_principal", "OCI_OBJECT_STORAGE_ENDPOINT", "http://objectstorage.example.com",
                "UPLOAD_PART_SIZE_MIB", "0", "UPLOAD_PARTS_IN_FLIGHT", "lots");
        ConfigException e = assertThrows(ConfigException.class, () -> OciSettings.load(ConfigSource.of(values)));
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("CONTROL_BUCKET is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("OCI_AUTH must be one of resource_principal, config_file"), e.getMessage());
        assertTrue(e.getMessage().contains("OCI_OBJECT_STORAGE_ENDPOINT must use https://"), e.getMessage());
    }

    @Test
    void aWorkstationSignsWithItsOciConfigProfile() throws Exception {
        try (OciEmulator oci = OciEmulator.start()) {
            OciTestAuth identity = OciTestAuth.apiKey().trustedBy(oci);
            Path key = Files.writeString(dir.resolve("key.pem"), PemKeys.toPem(identity.keys().getPrivate()));
            String[] keyId = identity.keyId().split("/");
            Path config = Files.writeString(dir.resolve("config"), "[DEFAULT]\nuser=ocid1.user.oc1..other\n\n[FUSION]\n"
                    + "tenancy=" + keyId[0] + "\nuser=" + keyId[1] + "\nfingerprint=" + keyId[2] + "\nkey_file=" + key + "\nregion=us-ashburn-1\n");
            Map<String, String> values = new HashMap<>(Map.of("CONTROL_BUCKET", "control", "OCI_AUTH", "config_file",
                    "OCI_CONFIG_FILE", config.toString(), "OCI_CONFIG_PROFILE", "FUSION",
                    "OCI_OBJECT_STORAGE_ENDPOINT", oci.endpoint().toString()));
            OciSettings settings = OciSettings.load(ConfigSource.of(values));
            try (OciClients clients = new OciClients(settings, OciClients.authentication(settings, Map.of()), Duration.ofSeconds(10))) {
                assertEquals("fxnamespace", clients.objectStorage().getNamespace(GetNamespaceRequest.builder().build()).getValue());
                assertEquals("fxnamespace", clients.namespace());
            }
        }
    }

    @Test
    void aMissingConfigFileNamesTheFileTheProfileAndTheFix() {
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control", "OCI_AUTH", "config_file",
                "OCI_CONFIG_FILE", dir.resolve("nope").toString())));
        PermanentException e = assertThrows(PermanentException.class, () -> OciClients.authentication(settings, Map.of()));
        assertTrue(e.getMessage().contains(dir.resolve("nope").toString()) && e.getMessage().contains("oci setup config"), e.getMessage());
    }

    @Test
    void theNamespaceSettingSavesTheLookup() {
        OciSettings settings = OciSettings.load(ConfigSource.of(Map.of("CONTROL_BUCKET", "control", "OCI_NAMESPACE", "given")));
        try (OciClients clients = new OciClients(settings, OciTestAuth.apiKey().provider(), Duration.ofSeconds(1))) {
            assertEquals("given", clients.namespace());
        }
    }
}
