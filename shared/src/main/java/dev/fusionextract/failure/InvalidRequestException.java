package dev.fusionextract.failure;

import java.util.List;

/** A request that cannot be run as it stands; lists every problem, each with what to change. */
public final class InvalidRequestException extends PermanentException {

    private final List<String> problems;

    public InvalidRequestException(String what, List<String> problems) {
        super(what + " is invalid: " + String.join("; ", problems) + ".");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
