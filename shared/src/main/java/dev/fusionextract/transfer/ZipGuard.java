package dev.fusionextract.transfer;

import dev.fusionextract.failure.PermanentException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * What an output ZIP may contain. Entry names: no absolute paths, no {@code ..}, no backslashes, no drive
 * letters, no control characters. Limits on the number of entries, the bytes unzipped, and the ratio of
 * unzipped to zipped bytes, all counted on the bytes actually read, never on what the headers claim.
 */
public final class ZipGuard {

    /** Limits for one ZIP. */
    public record Limits(int maxEntries, long maxUnzippedBytes, int maxRatio) {
        public static Limits defaults() {
            return new Limits(10_000, 150L << 30, 200);
        }
    }

    /** Below this many unzipped bytes the ratio is not judged: tiny entries compress absurdly well. */
    static final long RATIO_GRACE_BYTES = 1 << 20;
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final String RAISE = "Nothing of the run stays landed; if the file is genuine, raise ";

    private final Limits limits;
    private final String file;
    private final CountingInputStream zipped;
    private int entries;
    private long unzipped;

    /** @param zipped the ZIP's bytes as they are read from the download */
    public ZipGuard(Limits limits, String file, CountingInputStream zipped) {
        this.limits = limits;
        this.file = file;
        this.zipped = zipped;
    }

    /** Checks an entry's name and counts it; throws {@link Refused} when the ZIP must not be landed. */
    public void admit(String name) {
        String why = nameProblem(name);
        if (why != null) {
            throw new Refused(file, "entry \"" + printable(name) + "\" " + why);
        }
        if (++entries > limits.maxEntries()) {
            throw new Refused(file, "it holds more than " + limits.maxEntries() + " entries (ZIP_MAX_ENTRIES)", RAISE + "ZIP_MAX_ENTRIES.");
        }
    }

    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "has no name";
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "has control characters in its name";
        }
        if (name.contains("\\")) {
            return "has a backslash in its name";
        }
        if (name.startsWith("/")) {
            return "is an absolute path";
        }
        if (DRIVE.matcher(name).matches()) {
            return "starts with a drive letter";
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return "climbs out of its folder (..)";
            }
        }
        return null;
    }

    /** The entry's bytes, counted against the limits as they are read. */
    public InputStream entry(InputStream entry) {
        return new FilterInputStream(entry) {
            @Override
            public int read() {
                int b;
                try {
                    b = super.read();
                } catch (IOException e) {
                    throw unreadable(e);
                }
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (IOException e) {
                    throw unreadable(e);
                }
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            @Override
            public void close() {
                // the ZIP stream stays open for the next entry
            }
        };
    }

    private Refused unreadable(IOException e) {
        return Refused.unreadable(file, e);
    }

    private void count(int n) {
        unzipped += n;
        if (unzipped > limits.maxUnzippedBytes()) {
            throw new Refused(file, "it unzips to more than " + limits.maxUnzippedBytes() + " bytes (ZIP_MAX_UNZIPPED_GIB)",
                    RAISE + "ZIP_MAX_UNZIPPED_GIB.");
        }
        if (unzipped > RATIO_GRACE_BYTES && unzipped > (long) limits.maxRatio() * Math.max(1, zipped.count())) {
            throw new Refused(file, "it unzips more than " + limits.maxRatio() + " times its size (" + unzipped + " bytes from "
                    + zipped.count() + "; ZIP_MAX_RATIO): a zip bomb", RAISE + "ZIP_MAX_RATIO.");
        }
    }

    public long unzippedBytes() {
        return unzipped;
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(120).forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }

    /** The output file is refused: nothing of it may stay landed. */
    public static final class Refused extends PermanentException {
        /** Refused for {@code why}, with the fix that fits most refusals: nothing was landed; run again, report if it repeats. */
        public Refused(String file, String why) {
            this(file, why, "Nothing of the run stays landed; run the extract again, and if it repeats, report the file to Oracle.");
        }

        /**
         * The download below resumes broken connections itself and fails with its own (unchecked) errors: an
         * IOException from the ZIP reader is the ZIP's fault, never worth a retry.
         */
        public static Refused unreadable(String file, IOException e) {
            return new Refused(file, "it is not a ZIP that can be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }

        /** Refused for {@code why}, with what to do about it. */
        public Refused(String file, String why, String fix) {
            super("Output file " + file + " was refused: " + why + ". " + fix);
        }
    }
}
