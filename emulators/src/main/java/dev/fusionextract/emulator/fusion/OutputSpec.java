package dev.fusionextract.emulator.fusion;

import java.util.List;

/**
 * What a simulated extract produces: {@code chunks} ZIP files, each holding one CSV entry per table, about
 * {@code uncompressedBytes} of CSV in all, derived only from the seed and the job id.
 *
 * @param manifest whether the final chunk carries a {@code MANIFEST_EXTRACT_<job>.mf} entry ({@code file;docid;sha256})
 */
public record OutputSpec(int chunks, List<String> tables, long uncompressedBytes, long seed, ZipVariant variant,
                         boolean manifest) {

    public OutputSpec {
        if (chunks < 0 || (chunks > 0 && tables.isEmpty()) || uncompressedBytes < 0) {
            throw new IllegalArgumentException("an output needs chunks >= 0, at least one table and a size >= 0");
        }
        tables = List.copyOf(tables);
    }

    public static OutputSpec small() {
        return new OutputSpec(3, List.of("suppliers", "invoices", "payments"), 64 * 1024, 7, ZipVariant.DEFLATED, true);
    }

    public static OutputSpec none() {
        return new OutputSpec(0, List.of(), 0, 0, ZipVariant.DEFLATED, false);
    }

    public OutputSpec withChunks(int n) {
        return new OutputSpec(n, tables, uncompressedBytes, seed, variant, manifest);
    }

    public OutputSpec withTables(List<String> names) {
        return new OutputSpec(chunks, names, uncompressedBytes, seed, variant, manifest);
    }

    public OutputSpec withUncompressedBytes(long bytes) {
        return new OutputSpec(chunks, tables, bytes, seed, variant, manifest);
    }

    public OutputSpec withSeed(long newSeed) {
        return new OutputSpec(chunks, tables, uncompressedBytes, newSeed, variant, manifest);
    }

    public OutputSpec withVariant(ZipVariant newVariant) {
        return new OutputSpec(chunks, tables, uncompressedBytes, seed, newVariant, manifest);
    }

    public OutputSpec withManifest(boolean on) {
        return new OutputSpec(chunks, tables, uncompressedBytes, seed, variant, on);
    }
}
