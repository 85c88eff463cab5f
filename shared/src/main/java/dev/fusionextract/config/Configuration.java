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
        if (oci != null && pipeline != null && ConfigKey.ZIP_MAX_UNZIPPED_GIB.readBy(reader)) {
            partsProblem(oci.partSizeBytes(), pipeline.zipLimits().maxUnzippedBytes()).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Configuration(extract, oci, pipeline);
    }

    /** Object Storage takes at most 10,000 parts per multipart upload (its documented limit): the largest object. */
    public static final int MAX_PARTS = 10_000;

    /**
     * One entry may be as large as the whole ZIP unzips to, and must fit in one multipart upload: a limit that
     * could only fail at part 10,001, after 10,000 parts were sent, is refused at start instead.
     */
    static java.util.Optional<String> partsProblem(long partSizeBytes, long maxUnzippedBytes) {
        long largest = partSizeBytes * MAX_PARTS;
        if (maxUnzippedBytes <= largest) {
            return java.util.Optional.empty();
        }
        long gib = largest >> 30;
        long neededMib = (maxUnzippedBytes + MAX_PARTS - 1) / MAX_PARTS / (1 << 20) + 1;
        return java.util.Optional.of("ZIP_MAX_UNZIPPED_GIB (" + (maxUnzippedBytes >> 30) + ") lets an entry be larger than UPLOAD_PART_SIZE_MIB ("
                + (partSizeBytes >> 20) + ") x " + MAX_PARTS + " parts, the most one object can be written in (" + gib + " GiB): lower "
                + "ZIP_MAX_UNZIPPED_GIB to " + gib + " or raise UPLOAD_PART_SIZE_MIB to " + neededMib + ".");
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
