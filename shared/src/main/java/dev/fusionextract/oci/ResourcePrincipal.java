package dev.fusionextract.oci;

import com.oracle.bmc.Region;
import com.oracle.bmc.auth.BasicAuthenticationDetailsProvider;
import com.oracle.bmc.auth.RefreshableOnNotAuthenticatedProvider;
import com.oracle.bmc.auth.RegionProvider;
import com.oracle.bmc.http.signing.RequestSignerFactory;
import com.oracle.bmc.http.signing.SigningStrategy;
import com.oracle.bmc.http.signing.internal.RequestSignerImpl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource principal v2.2 as OCI Functions provides it (the session token and its private key, each a file or,
 * when not an absolute path, the literal value), with the key read by the JDK. The SDK's own provider reads the
 * key through BouncyCastle on every request it signs, and loading BouncyCastle's signed jars took a quarter of a
 * function's configuration; {@link OciClients#authentication} uses this one for an unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) key and the SDK's for anything else.
 *
 * <p>Requests are signed as the SDK signs them ({@code RequestSignerImpl}, key id {@code ST$<token>}). The files
 * are read again when either changes (the platform may renew them while the container lives) and when a call is
 * refused with 401 (the SDK calls {@link #refresh()} and sends it once more).
 */
final class ResourcePrincipal implements BasicAuthenticationDetailsProvider, RegionProvider,
        RefreshableOnNotAuthenticatedProvider<String> {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (PRIVATE KEY|RSA PRIVATE KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** rsaEncryption's AlgorithmIdentifier, DER: what a PKCS#1 key is wrapped in to make it PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final String token;
    private final String pem;
    private final Region region;
    private volatile Session session;

    private ResourcePrincipal(String token, String pem, Region region, Session first) {
        this.token = token;
        this.pem = pem;
        this.region = region;
        this.session = first;
    }

    /**
     * The resource principal of {@code token} and {@code pem} (paths or literal values), or empty when the key
     * is one this class leaves to the SDK (encrypted, or not RSA in PKCS#8/PKCS#1 PEM).
     */
    static Optional<ResourcePrincipal> of(String token, String pem, String passphrase, Region region) {
        if (passphrase != null) {
            return Optional.empty();
        }
        return session(token, pem).map(first -> new ResourcePrincipal(token, pem, region, first));
    }

    @Override
    public String getKeyId() {
        return "ST$" + current().token();
    }

    @Override
    public InputStream getPrivateKey() {
        return new ByteArrayInputStream(current().pem().getBytes(StandardCharsets.US_ASCII));
    }

    @Deprecated
    @Override
    public String getPassPhrase() {
        return null;
    }

    @Override
    public char[] getPassphraseCharacters() {
        return null;
    }

    @Override
    public Region getRegion() {
        return region;
    }

    @Override
    public synchronized String refresh() {
        session = load();
        return session.token();
    }

    /**
     * Signers for every signing strategy. Should the files change between reading the token and the key of one
     * signature, the service answers 401 and the SDK signs again after {@link #refresh()}.
     */
    Map<SigningStrategy, RequestSignerFactory> signers() {
        Map<SigningStrategy, RequestSignerFactory> signers = new EnumMap<>(SigningStrategy.class);
        for (SigningStrategy strategy : SigningStrategy.values()) {
            signers.put(strategy, (service, provider) -> new RequestSignerImpl(
                    keyId -> Optional.of(current().key()), strategy, this::getKeyId));
        }
        return signers;
    }

    private Session current() {
        Session now = session;
        if (now.changed(token, pem)) {
            synchronized (this) {
                if (session.changed(token, pem)) {
                    session = load();
                }
                return session;
            }
        }
        return now;
    }

    private Session load() {
        return session(token, pem).orElseThrow(() -> new IllegalArgumentException(
                "the resource principal's key is no longer an unencrypted RSA private key in PEM"));
    }

    /**
     * The token and key read now, their modification times taken first (a file that changes while it is read
     * then looks changed at the next look), or empty when the key is not one this class reads.
     */
    private static Optional<Session> session(String token, String pem) {
        FileTime tokenWritten = modified(token);
        FileTime keyWritten = modified(pem);
        String keyText = read(pem);
        Matcher key = PEM.matcher(keyText);
        if (!key.find()) {
            return Optional.empty();
        }
        return Optional.of(new Session(read(token).trim(), keyText, parse(key), tokenWritten, keyWritten));
    }

    /** The token and the key read together, and when their files were last written (null for literal values). */
    private record Session(String token, String pem, RSAPrivateKey key, FileTime tokenWritten, FileTime keyWritten) {

        boolean changed(String tokenSource, String pemSource) {
            return !Objects.equals(tokenWritten, modified(tokenSource)) || !Objects.equals(keyWritten, modified(pemSource));
        }

        @Override
        public String toString() {
            return "Session[token and key not shown]";
        }
    }

    static RSAPrivateKey parse(String pemText) {
        Matcher matcher = PEM.matcher(pemText);
        if (!matcher.find()) {
            throw new IllegalArgumentException("not an unencrypted RSA private key in PEM");
        }
        return parse(matcher);
    }

    /** The key a PEM match holds. */
    private static RSAPrivateKey parse(Matcher matcher) {
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
        byte[] pkcs8 = matcher.group(1).equals("RSA PRIVATE KEY") ? wrapPkcs1(der) : der;
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | ClassCastException e) {
            // Not the cause: its message could quote the key.
            throw new IllegalArgumentException("the private key cannot be read as RSA (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, rsaEncryption, OCTET STRING { the PKCS#1 key } } */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + RSA_ALGORITHM.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
        System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        byte[] header = length < 0x80 ? new byte[]{(byte) tag, (byte) length}
                : length < 0x100 ? new byte[]{(byte) tag, (byte) 0x81, (byte) length}
                : length < 0x10000 ? new byte[]{(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length}
                : new byte[]{(byte) tag, (byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
        byte[] out = new byte[header.length + length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(content, 0, out, header.length, length);
        return out;
    }

    private static boolean isPath(String value) {
        return Path.of(value).isAbsolute();
    }

    private static String read(String source) {
        if (!isPath(source)) {
            return source;
        }
        try {
            return Files.readString(Path.of(source), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    private static FileTime modified(String source) {
        if (!isPath(source)) {
            return null;
        }
        try {
            return Files.getLastModifiedTime(Path.of(source));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
