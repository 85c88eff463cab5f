package dev.fusionextract.oci.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A request's URI as the SDK builds it: the client's base, path parts the SDK has already percent-encoded, and
 * query parameters. Like Jersey's {@code WebTarget}, which the SDK's own provider uses, it keeps existing
 * {@code %XX} escapes and encodes only what may not stand in a URI (the SDK's path encoder leaves {@code [ ] | ^}
 * and non-ASCII as they are), so an object named {@code a b[1]} reaches the server as {@code a%20b%5B1%5D}.
 */
final class RequestUri {

    private static final String PATH_KEEP = "-._~!$&'()*+,;=:@/";
    private static final String QUERY_KEEP = "-._~!$'()*,;:@/?";

    private final URI base;
    private final StringBuilder path;
    private final StringBuilder query = new StringBuilder();

    RequestUri(URI base) {
        this.base = base;
        this.path = new StringBuilder(base.getRawPath() == null ? "" : base.getRawPath());
    }

    RequestUri(RequestUri from) {
        this.base = from.base;
        this.path = new StringBuilder(from.path);
        this.query.append(from.query);
    }

    /** Appends one path part with a single slash between it and the path so far, as {@code WebTarget.path} does. */
    void appendPath(String encodedPart) {
        boolean endsWithSlash = path.length() > 0 && path.charAt(path.length() - 1) == '/';
        boolean startsWithSlash = encodedPart.startsWith("/");
        if (endsWithSlash && startsWithSlash) {
            path.append(encodedPart, 1, encodedPart.length());
        } else {
            if (!endsWithSlash && !startsWithSlash && !encodedPart.isEmpty()) {
                path.append('/');
            }
            path.append(encodedPart);
        }
    }

    void appendQuery(String name, String value) {
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(encode(name, QUERY_KEEP)).append('=').append(encode(value, QUERY_KEEP));
    }

    URI toUri() {
        StringBuilder uri = new StringBuilder()
                .append(base.getScheme()).append("://").append(base.getRawAuthority())
                .append(encode(path.toString(), PATH_KEEP));
        if (query.length() > 0) {
            uri.append('?').append(query);
        }
        return URI.create(uri.toString());
    }

    /**
     * The endpoint without an explicit default port ({@code https://host:443} → {@code https://host}): the SDK's
     * signer signs {@code host:port} whenever a port is written, while the JDK sends a default port's Host
     * without it, and the two must agree.
     */
    static URI withoutDefaultPort(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        if (!defaultPort) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), uri.getRawUserInfo(), uri.getHost(), -1, uri.getRawPath(), uri.getRawQuery(),
                    uri.getRawFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot drop the default port of endpoint " + uri, e);
        }
    }

    /** Percent-encodes (UTF-8) the characters above 127 only; an ASCII text comes back as it is. */
    static String encodeNonAscii(String text) {
        return escape(text, (t, i) -> t.charAt(i) < 0x80);
    }

    /** Percent-encodes (UTF-8) every character outside {@code keep} and the alphanumerics, keeping valid {@code %XX}. */
    static String encode(String text, String keep) {
        return escape(text, (t, i) -> {
            char c = t.charAt(i);
            boolean escape = c == '%' && isHex(t, i + 1) && isHex(t, i + 2);
            return escape || (c < 0x80 && (Character.isLetterOrDigit(c) || keep.indexOf(c) >= 0));
        });
    }

    /** Whether the character at an index of a text stays as it is. */
    @FunctionalInterface
    private interface Kept {
        boolean at(String text, int index);
    }

    /** The text with every character that is not {@code kept} percent-encoded as UTF-8 (a surrogate pair as one). */
    private static String escape(String text, Kept kept) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            if (kept.at(text, i)) {
                if (out != null) {
                    out.append(text.charAt(i));
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            int end = Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() ? i + 2 : i + 1;
            appendEscaped(out, text.substring(i, end));
            i = end - 1;
        }
        return out == null ? text : out.toString();
    }

    private static void appendEscaped(StringBuilder out, String character) {
        for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }
}
