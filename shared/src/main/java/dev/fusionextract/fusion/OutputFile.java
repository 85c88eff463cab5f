package dev.fusionextract.fusion;

import java.net.URI;
import java.util.Optional;

/**
 * One output file of a job, as listed by Fusion.
 *
 * @param name        the name exactly as listed (used only to address the file on Fusion)
 * @param safeName    {@link SafeName} of it, the only form used for anything local
 * @param size        {@code fileSize} in bytes, or -1 when not listed
 * @param sha256Hex   the listed {@code sha-256=} checksum, lower-case hex, when present
 * @param timeCreated as listed (no zone, a space for the T)
 * @param content     where to download it from (the enclosure link, checked before use)
 */
public record OutputFile(String name, String safeName, long size, Optional<String> sha256Hex, String timeCreated, URI content) {
}
