package dev.fusionextract.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads typed values and collects every problem instead of stopping at the first; {@link #finish()} throws
 * them all at once. Values read after a problem are placeholders that must not be used.
 */
public final class ConfigReader {

    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,256}");
    private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private final ConfigSource source;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(ConfigSource source) {
        this.source = source;
    }

    /** The value, the default, or (for a required key) a recorded problem and null. */
    public String text(ConfigKey key) {
        Optional<String> value = source.get(key.name());
        if (value.isPresent()) {
            return value.get();
        }
        if (key.required()) {
            problems.add(key.name() + " is missing: " + key.description() + " Example: " + key.example());
            return null;
        }
        return key.defaultValue().orElse("");
    }

    public Optional<String> optionalText(ConfigKey key) {
        String value = text(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * An absolute http(s) base URL without credentials, query or fragment; trailing slashes removed. Plain
     * http is accepted only for a loopback host, where the emulators run.
     */
    public URI baseUrl(ConfigKey key) {
        String value = text(key);
        if (value == null) {
            return null;
        }
        String fix = " Example: " + key.example();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return invalid(key.name() + " is not a valid URL." + fix);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return invalid(key.name() + " must be an absolute URL with a host." + fix);
        }
        if (uri.getRawUserInfo() != null) {
            return invalid(key.name() + " must not contain user:password@; credentials belong in the Vault secret." + fix);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return invalid(key.name() + " must not have a query or fragment." + fix);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !Hosts.isLoopback(uri.getHost())) {
            return invalid(key.name() + " must use https:// (plain http is accepted only on a loopback host)." + fix);
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return invalid(key.name() + " must use https://." + fix);
        }
        String trimmed = value.replaceAll("/+$", "");
        return URI.create(trimmed);
    }

    /** A bucket name as Object Storage allows it: 1 to 256 letters, digits, '-', '_' or '.'. */
    public String bucket(ConfigKey key) {
        String value = text(key);
        if (value != null && !value.isEmpty() && !BUCKET.matcher(value).matches()) {
            problems.add(key.name() + " must be a bucket name: 1 to 256 letters, digits, '-', '_' or '.', got \"" + shorten(value)
                    + "\". Example: " + key.example());
        }
        return value;
    }

    /**
     * An object-name prefix: folders of letters, digits, '.', '_' or '-' separated by '/', no leading '/', no '..'
     * ({@code trailingSlash} adds a missing one: a request prefix names a folder).
     */
    public String prefix(ConfigKey key, boolean trailingSlash) {
        String value = text(key);
        if (value == null) {
            return null;
        }
        String folders = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (!isFolders(folders) || value.length() > 200) {
            problems.add(key.name() + " must be folders of letters, digits, '.', '_' or '-' separated by '/', without a leading '/' "
                    + "or '..', got \"" + shorten(value) + "\". Example: " + key.example());
            return value;
        }
        return trailingSlash && !value.endsWith("/") ? value + "/" : value;
    }

    /**
     * The one rule for an object-name prefix, configured or requested: up to 200 characters of folders of letters,
     * digits, '.', '_' or '-' separated by '/', without a leading '/' or "..".
     */
    public static boolean isFolders(String folders) {
        return PREFIX.matcher(folders).matches() && !folders.contains("..") && folders.length() <= 200;
    }

    public int integer(ConfigKey key, int min, int max) {
        String value = text(key);
        if (value == null) {
            return min;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key.name() + " must be a whole number from " + min + " to " + max + ", got \"" + shorten(value)
                + "\". Example: " + key.example());
        return min;
    }

    /** A value parsed by {@code parse}, which returns empty for values it does not accept. */
    public <T> T choice(ConfigKey key, Function<String, Optional<T>> parse, String allowed) {
        String value = text(key);
        if (value == null) {
            return null;
        }
        Optional<T> parsed = parse.apply(value);
        if (parsed.isEmpty()) {
            problems.add(key.name() + " must be one of " + allowed + ", got \"" + shorten(value) + "\".");
            return null;
        }
        return parsed.get();
    }

    /** Records a problem found by the caller, e.g. one that involves several keys. */
    public void addProblem(String message) {
        problems.add(message);
    }

    /** Throws a {@link ConfigException} with every problem found, if any. */
    public void finish() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private <T> T invalid(String message) {
        problems.add(message);
        return null;
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
