package dev.fusionextract.emulator.oci;


import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * What OCI Functions hands a function: a resource principal session token (RPST) and its private key, as
 * files, and the environment variables naming them. The token is a JWT whose {@code jwk} claim carries the
 * public half of the key; the SDK does not check the token's own signature, so the test can mint it.
 */
public final class ResourcePrincipalFiles {

    private ResourcePrincipalFiles() {
    }

    public static String rpst(RSAPublicKey publicKey, Instant expires) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String jwk = "{\"kty\":\"RSA\",\"kid\":\"test\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + url.encodeToString(unsigned(publicKey.getModulus())) + "\",\"e\":\""
                + url.encodeToString(unsigned(publicKey.getPublicExponent())) + "\"}";
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"asw\"}";
        String claims = "{\"sub\":\"ocid1.fnfunc.oc1.iad.test\",\"res_type\":\"fnfunc\",\"res_tenant\":\"ocid1.tenancy.oc1..test\","
                + "\"res_compartment\":\"ocid1.compartment.oc1..test\",\"iat\":" + (expires.getEpochSecond() - 3600)
                + ",\"exp\":" + expires.getEpochSecond() + ",\"jwk\":" + quote(jwk) + "}";
        return url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("not-checked".getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the token and the PEM key into {@code dir} and returns the environment OCI Functions would set. */
    public static Map<String, String> environment(Path dir, KeyPair keys, Instant expires) throws IOException {
        Path rpst = Files.writeString(dir.resolve("rpst"), rpst((RSAPublicKey) keys.getPublic(), expires));
        Path pem = Files.writeString(dir.resolve("private.pem"), PemKeys.toPem(keys.getPrivate()));
        return Map.of(
                "OCI_RESOURCE_PRINCIPAL_VERSION", "2.2",
                "OCI_RESOURCE_PRINCIPAL_RPST", rpst.toAbsolutePath().toString(),
                "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", pem.toAbsolutePath().toString(),
                "OCI_RESOURCE_PRINCIPAL_REGION", "us-ashburn-1");
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
