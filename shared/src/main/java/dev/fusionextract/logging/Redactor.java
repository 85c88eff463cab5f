package dev.fusionextract.logging;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it is written anywhere. Two nets: every secret value the process has
 * learnt (client secret, password, access token) is registered here and replaced wherever it appears; and
 * shapes that always carry a credential (Authorization header values, JWTs, PEM keys, secret-named JSON
 * fields) are masked even when nobody registered them.
 */
public final class Redactor {

    public static final String MASK = "****";
    /** Shorter values are not registered: masking them would mangle ordinary words. */
    private static final int MIN_SECRET_LENGTH = 6;
    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"),
            Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"),
            Pattern.compile("(?i)(\"(?:client_?secret|password|access_?token|refresh_?token|private_?key|passphrase|rpst)\"\\s*:\\s*\")[^\"]*(\")"),
            // form and query encodings, and "key: value" / "key=value" prose an upstream may echo
            Pattern.compile("(?i)\\b(client_?secret|password|access_?token|refresh_?token|id_?token|assertion)(\\s*[=:]\\s*)(?!\\*\\*\\*\\*)[^\\s&\"',;]+"));

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /** Remembers a secret value so that it never appears in redacted text. */
    public void register(String secret) {
        if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
            secrets.add(secret);
        }
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        // Longest first, so a secret that contains another is masked whole.
        for (String secret : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            result = result.replace(secret, MASK);
        }
        result = SHAPES.get(0).matcher(result).replaceAll("$1 " + MASK);
        result = SHAPES.get(1).matcher(result).replaceAll(MASK);
        result = SHAPES.get(2).matcher(result).replaceAll(MASK);
        result = SHAPES.get(3).matcher(result).replaceAll("$1" + MASK + "$2");
        result = SHAPES.get(4).matcher(result).replaceAll("$1$2" + MASK);
        return result;
    }

    /** For a value shown on purpose in a message (an id, not a secret): the first four characters and a mask. */
    public static String hint(String value) {
        if (value == null || value.isEmpty()) {
            return "(empty)";
        }
        return value.length() <= 8 ? MASK : value.substring(0, 4) + MASK;
    }
}
