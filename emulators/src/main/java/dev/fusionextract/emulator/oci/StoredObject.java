package dev.fusionextract.emulator.oci;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An object as Object Storage holds it. {@code contentMd5} is the base64 MD5 of the bytes for a single PUT;
 * a multipart object has {@code multipartMd5} ({@code <base64>-<parts>}) instead, as OCI reports it.
 */
public record StoredObject(byte[] content, long size, Optional<String> contentMd5, Optional<String> multipartMd5, String etag,
                           Instant lastModified, String contentType, Map<String, String> metadata) {

    /** An object whose bytes are kept ({@code content} is empty when the service discards content, see {@link ObjectStorageService#discardContent}). */
    public StoredObject {
        if (content.length != 0 && content.length != size) {
            throw new IllegalArgumentException("content and size disagree");
        }
    }

    /** What OCI lists as the object's md5: the content MD5, or the multipart MD5. */
    public String listedMd5() {
        return contentMd5.or(() -> multipartMd5).orElse("");
    }
}
