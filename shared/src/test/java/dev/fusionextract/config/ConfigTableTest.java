package dev.fusionextract.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's configuration table must list exactly the keys the code reads, with the same defaults and readers. */
class ConfigTableTest {

    @Test
    void readmeTableMatchesTheKeysTheCodeReads() throws IOException {
        Path readme = Path.of("..", "README.md");
        Map<String, String[]> rows = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Configuration");
            }
            if (inSection && line.startsWith("| `") && line.indexOf('`', 3) > 0) {
                String[] cells = Arrays.stream(line.split("\\|")).map(String::trim).toArray(String[]::new);
                String key = cells[1].replace("`", "");
                if (key.matches("[A-Z][A-Z0-9_]+")) {
                    rows.put(key, cells);
                }
            }
        }
        assertEquals(Arrays.stream(ConfigKey.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new)),
                new TreeSet<>(rows.keySet()), "README configuration table keys");
        for (ConfigKey key : ConfigKey.values()) {
            String[] cells = rows.get(key.name());
            String expectedDefault = key.required() ? "required" : key.defaultValue().get().isEmpty() ? "(empty)"
                    : "`" + key.defaultValue().get() + "`";
            assertEquals(expectedDefault, cells[2], key.name() + " default");
            String readers = key.readers().stream().sorted().map(ConfigKey.Reader::label).collect(Collectors.joining(", "));
            assertEquals(readers, cells[3], key.name() + " readers");
        }
    }
}
