package dev.fusionextract.failure;

/**
 * How long a reason may be wherever it goes (the ledger, a STATUS message, a reply, a log field). An upstream
 * can answer with a body of any size; a reason cut here keeps a STATUS message far below Notifications' 64 KB
 * and a ledger record readable.
 */
public final class Reasons {

    /** The longest reason kept, in characters; the rest is cut and the cut is said. */
    public static final int MAX_CHARS = 1000;

    private Reasons() {
    }

    public static String cut(String reason) {
        if (reason == null || reason.length() <= MAX_CHARS) {
            return reason;
        }
        String tail = " … (" + (reason.length() - MAX_CHARS) + " more characters cut)";
        return reason.substring(0, MAX_CHARS - tail.length()) + tail;
    }

    /** The message of an unexpected throwable, named by its class when it has no message of its own. */
    public static String of(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
