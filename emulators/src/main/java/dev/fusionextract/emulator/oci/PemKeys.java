package dev.fusionextract.emulator.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * RSA keys in PEM, the form OCI API keys take: public keys as uploaded ({@code -----BEGIN PUBLIC KEY-----}),
 * private keys as an OCI config file's {@code key_file} holds them (PKCS#8), and that config file itself.
 */
public final class PemKeys {

    private PemKeys() {
    }

    public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        return parsePublicKey(Files.readString(file));
    }

    public static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** A new 2048-bit RSA key pair, as an OCI API key is. */
    public static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code oci_api_key.pem} and an OCI config file {@code oci_config} with one DEFAULT profile for the
     * API key {@code keyId} ({@code tenancy/user/fingerprint}) into {@code dir}; returns the config file.
     */
    public static Path writeOciConfig(Path dir, String keyId, PrivateKey key) throws IOException {
        Path keyFile = Files.writeString(dir.resolve("oci_api_key.pem"), toPem(key));
        String[] id = keyId.split("/");
        return Files.writeString(dir.resolve("oci_config"), "[DEFAULT]\ntenancy=" + id[0] + "\nuser=" + id[1] + "\nfingerprint=" + id[2]
                + "\nkey_file=" + keyFile + "\nregion=us-ashburn-1\n");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
