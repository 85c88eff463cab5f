package dev.fusionextract.testing;

import com.oracle.bmc.auth.AuthenticationDetailsProvider;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import dev.fusionextract.emulator.oci.OciEmulator;
import dev.fusionextract.emulator.oci.PemKeys;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

/** An API-key identity with a key made for the test run, so the real SDK signs every request it sends. */
public record OciTestAuth(AuthenticationDetailsProvider provider, KeyPair keys, String keyId) {

    private static final String TENANCY = "ocid1.tenancy.oc1..testtenancy";
    private static final String USER = "ocid1.user.oc1..testuser";
    private static final String FINGERPRINT = "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0";

    public static OciTestAuth apiKey() {
        KeyPair pair = PemKeys.newRsaKeyPair();
        byte[] pem = PemKeys.toPem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII);
        AuthenticationDetailsProvider provider = SimpleAuthenticationDetailsProvider.builder()
                .tenantId(TENANCY)
                .userId(USER)
                .fingerprint(FINGERPRINT)
                .privateKeySupplier(() -> new ByteArrayInputStream(pem))
                .build();
        return new OciTestAuth(provider, pair, TENANCY + "/" + USER + "/" + FINGERPRINT);
    }

    /** The same identity, trusted by the emulator. */
    public OciTestAuth trustedBy(OciEmulator emulator) {
        emulator.trustApiKey(keyId, keys.getPublic());
        return this;
    }
}
