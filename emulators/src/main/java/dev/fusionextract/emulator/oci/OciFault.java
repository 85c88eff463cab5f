package dev.fusionextract.emulator.oci;

import java.time.Duration;

/** A misbehaviour of one OCI call. */
public sealed interface OciFault {

    /** Answers with this status and OCI error code instead of doing the work. */
    record Status(int status, String code) implements OciFault {
    }

    /** Reads the request, then closes the connection without an answer. */
    record Reset() implements OciFault {
    }

    /** Does the work, then closes the connection without an answer: the client cannot know it succeeded. */
    record DropAnswer() implements OciFault {
    }

    /** Waits before doing the work. */
    record Delay(Duration delay) implements OciFault {
    }

    static OciFault status(int status, String code) {
        return new Status(status, code);
    }

    static OciFault unavailable() {
        return new Status(503, "ServiceUnavailable");
    }

    static OciFault reset() {
        return new Reset();
    }

    static OciFault dropAnswer() {
        return new DropAnswer();
    }

    static OciFault delay(Duration delay) {
        return new Delay(delay);
    }
}
