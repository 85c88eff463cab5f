package dev.fusionextract.local.bench;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench coldstart after ./mvnw package: one round starts every function cold on its deployed classpath and checks the runs landed. */
class ColdStartBenchmarkIT {

    @Test
    void oneRoundStartsEachFunctionColdAndPrintsItsRow() throws Exception {
        StringWriter text = new StringWriter();
        ColdStartBenchmark.run(Path.of(".."), 1, true, true, 1, List.of(), new PrintWriter(text));
        String table = text.toString();
        for (String function : List.of("hello-world", "submit-function", "poll-function", "transfer-function")) {
            Matcher row = Pattern.compile("(?m)^\\| " + function + " \\| (\\S+) \\| ([0-9.]+) \\(.*?\\) \\| ([0-9.]+) \\|.*\\| ([0-9]+) \\| ([0-9.]+) \\|$")
                    .matcher(table);
            assertTrue(row.find(), function + " has a row:\n" + table);
            double ratio = Double.parseDouble(row.group(3));
            if (function.equals("hello-world")) {
                assertEquals("1.0", String.format(Locale.ROOT, "%.1f", ratio));
            } else {
                assertTrue(ratio > 1, function + " starts slower than a JVM hello-world:\n" + table);
                assertTrue(Integer.parseInt(row.group(4)) > 40, function + " peak RSS is measured:\n" + table);
                assertTrue(Double.parseDouble(row.group(5)) > 0, function + " warm invocation is measured:\n" + table);
            }
        }
    }
}
