package dev.fusionextract.testing;

import dev.fusionextract.emulator.fusion.ExtractGenerator;
import dev.fusionextract.emulator.fusion.OutputContent;
import dev.fusionextract.emulator.fusion.OutputSpec;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a transfer of a simulated job must land, read independently of the code under test. */
public final class ExpectedOutput {

    private ExpectedOutput() {
    }

    /** Path under the run's folder → bytes: every entry of every output ZIP, and every other output file as it is. */
    public static Map<String, byte[]> of(OutputSpec spec, String extract, long jobId) throws IOException {
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (OutputContent file : ExtractGenerator.files(spec, extract, jobId)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            file.writeTo(bytes);
            if (!file.name().endsWith(".zip")) {
                expected.put(file.name(), bytes.toByteArray());
                continue;
            }
            try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()), "UTF-8", true, true)) {
                for (ZipArchiveEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    expected.put(entry.getName(), zip.readAllBytes());
                }
            }
        }
        return expected;
    }
}
