package dev.fusionextract.fusion;

import java.util.regex.Pattern;

/** Reduces a name that came from a server to a safe base name: no folders, no control characters, no odd signs. */
public final class SafeName {

    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}._-]");
    private static final int MAX_LENGTH = 200;

    private SafeName() {
    }

    public static String of(String raw) {
        String name = raw == null ? "" : raw;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1);
        name = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        name = UNSAFE.matcher(name).replaceAll("_");
        name = name.replaceFirst("^\\.+", "");
        if (name.length() > MAX_LENGTH) {
            name = name.substring(name.length() - MAX_LENGTH);
        }
        return name.isEmpty() ? "file" : name;
    }
}
