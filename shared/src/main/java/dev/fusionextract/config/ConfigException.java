package dev.fusionextract.config;

import dev.fusionextract.failure.PermanentException;

import java.util.List;

/** The configuration is incomplete or invalid; the message lists every problem, each with the key and an example. */
public final class ConfigException extends PermanentException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("Configuration has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
