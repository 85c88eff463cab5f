package dev.fusionextract.config;

import java.util.Map;
import java.util.Optional;

/**
 * Where configuration values come from: an Fn function's {@code RuntimeContext::getConfigurationByKey}, the
 * environment, or a map. Blank values count as absent.
 */
@FunctionalInterface
public interface ConfigSource {

    Optional<String> raw(String key);

    default Optional<String> get(String key) {
        return raw(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    static ConfigSource environment() {
        return key -> Optional.ofNullable(System.getenv(key));
    }

    static ConfigSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return key -> Optional.ofNullable(copy.get(key));
    }

    /** This source, and where it has no value, the other one. */
    default ConfigSource orElse(ConfigSource other) {
        return key -> get(key).or(() -> other.get(key));
    }
}
