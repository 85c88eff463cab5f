package dev.fusionextract.testing;

import com.oracle.bmc.auth.AuthenticationDetailsProvider;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** An API-key identity with a key made for the test run, so the real SDK signs every request it sends. */
public final class OciTestAuth {

    private OciTestAuth() {
    }

    public static AuthenticationDetailsProvider apiKey() {
        KeyPair pair = rsaKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        byte[] pemBytes = pem.getBytes(StandardCharsets.US_ASCII);
        return SimpleAuthenticationDetailsProvider.builder()
                .tenantId("ocid1.tenancy.oc1..testtenancy")
                .userId("ocid1.user.oc1..testuser")
                .fingerprint("12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0")
                .privateKeySupplier(() -> new ByteArrayInputStream(pemBytes))
                .build();
    }

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
