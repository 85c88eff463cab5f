package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionextract.emulator.http.Exchanges;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks OCI request signatures (draft-cavage HTTP signatures, rsa-sha256) the way OCI does: API-key keyIds
 * against public keys registered with {@link #trust}, {@code ST$<rpst>} keyIds against the RSA key in the
 * token's {@code jwk} claim (the token's own signature is not checked, as the SDK does not check it either;
 * its {@code exp} is). Bodies of signed JSON requests must match their {@code x-content-sha256}.
 */
final class SignatureVerifier {

    private static final Pattern PARAM = Pattern.compile("([a-zA-Z]+)=\"([^\"]*)\"");
    private static final Set<String> ALWAYS = Set.of("(request-target)", "host");
    private static final Set<String> BODY = Set.of("content-length", "content-type", "x-content-sha256");

    private final Map<String, PublicKey> apiKeys = new ConcurrentHashMap<>();
    private final Clock clock;

    SignatureVerifier(Clock clock) {
        this.clock = clock;
    }

    void trust(String keyId, PublicKey key) {
        apiKeys.put(keyId, key);
    }

    /**
     * @param streamedBody true for PutObject and UploadPart, whose bodies are not part of the signature
     * @return empty when the request is signed correctly, otherwise why not
     */
    Optional<String> verify(OciRequest request, boolean streamedBody) throws IOException {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty() || !header.get().startsWith("Signature ")) {
            return Optional.of("the request is not signed");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(header.get().substring("Signature ".length()));
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        if (!"rsa-sha256".equals(params.get("algorithm")) || params.get("keyId") == null || params.get("signature") == null
                || params.get("headers") == null) {
            return Optional.of("the Authorization header lacks keyId, headers, signature or algorithm rsa-sha256");
        }
        List<String> signed = List.of(params.get("headers").toLowerCase(Locale.ROOT).split(" "));
        List<String> missing = new ArrayList<>();
        for (String required : ALWAYS) {
            if (!signed.contains(required)) {
                missing.add(required);
            }
        }
        if (!signed.contains("date") && !signed.contains("x-date")) {
            missing.add("date");
        }
        boolean hasBody = Set.of("POST", "PUT", "PATCH").contains(request.method) && !streamedBody;
        if (hasBody) {
            for (String required : BODY) {
                if (!signed.contains(required)) {
                    missing.add(required);
                }
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("the signature does not cover " + missing);
        }
        Optional<PublicKey> key;
        try {
            key = key(params.get("keyId"));
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            return Optional.of("the keyId cannot be used: " + e.getMessage());
        }
        if (key.isEmpty()) {
            return Optional.of("unknown keyId");
        }
        StringBuilder signingString = new StringBuilder();
        for (String name : signed) {
            if (signingString.length() > 0) {
                signingString.append('\n');
            }
            if (name.equals("(request-target)")) {
                String query = request.exchange.getRequestURI().getRawQuery();
                signingString.append("(request-target): ").append(request.method.toLowerCase(Locale.ROOT)).append(' ')
                        .append(request.exchange.getRequestURI().getRawPath()).append(query == null ? "" : "?" + query);
            } else {
                Optional<String> value = request.header(name);
                if (value.isEmpty()) {
                    return Optional.of("signed header " + name + " is not in the request");
                }
                signingString.append(name).append(": ").append(value.get());
            }
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key.get());
            verifier.update(signingString.toString().getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(params.get("signature")))) {
                return Optional.of("the signature does not match");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of("the signature cannot be checked: " + e.getMessage());
        }
        if (hasBody) {
            String digest;
            try {
                digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(request.body()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            if (!digest.equals(request.header("x-content-sha256").orElse(""))) {
                return Optional.of("x-content-sha256 does not match the body");
            }
        }
        return Optional.empty();
    }

    private Optional<PublicKey> key(String keyId) throws IOException, GeneralSecurityException {
        if (!keyId.startsWith("ST$")) {
            return Optional.ofNullable(apiKeys.get(keyId));
        }
        String[] parts = keyId.substring(3).split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("the security token is not a JWT");
        }
        JsonNode claims = Exchanges.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        if (claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
            throw new IllegalArgumentException("the security token has expired");
        }
        JsonNode jwk = claims.path("jwk");
        if (jwk.isTextual()) {
            jwk = Exchanges.JSON.readTree(jwk.asText());
        }
        if (!"RSA".equals(jwk.path("kty").asText())) {
            throw new IllegalArgumentException("the security token has no RSA jwk claim");
        }
        BigInteger modulus = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText()));
        BigInteger exponent = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText()));
        return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)));
    }
}
