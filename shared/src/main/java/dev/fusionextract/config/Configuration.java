package dev.fusionextract.config;

import dev.fusionextract.oci.OciSettings;
import dev.fusionextract.pipeline.PipelineSettings;

import java.util.ArrayList;
import java.util.List;

/** Everything one component reads, loaded at once: every problem of every section in one error. */
public record Configuration(ExtractConfig extract, OciSettings oci, PipelineSettings pipeline) {

    public static Configuration load(ConfigSource source, ConfigKey.Reader reader) {
        List<String> problems = new ArrayList<>();
        ExtractConfig extract = section(() -> ExtractConfig.load(source), problems);
        OciSettings oci = section(() -> OciSettings.load(source), problems);
        PipelineSettings pipeline = section(() -> PipelineSettings.load(source, reader), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Configuration(extract, oci, pipeline);
    }

    private static <T> T section(java.util.function.Supplier<T> load, List<String> problems) {
        try {
            return load.get();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
