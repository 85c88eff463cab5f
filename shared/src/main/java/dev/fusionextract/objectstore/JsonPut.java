package dev.fusionextract.objectstore;

import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import dev.fusionextract.oci.OciCalls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a small JSON object, optionally conditional: {@code if-none-match: *} to be the first ({@code mustBeNew}),
 * {@code if-match} to replace only the version read. A refused condition surfaces as the SDK's 412 (or 409).
 */
public final class JsonPut {

    private JsonPut() {
    }

    /** Returns the new ETag. */
    public static String put(ObjectStorage client, OciCalls calls, String namespace, String bucket, String name, String json, String ifMatch,
                             boolean mustBeNew) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return calls.call("Writing " + name, () -> client.putObject(PutObjectRequest.builder()
                .namespaceName(namespace).bucketName(bucket).objectName(name)
                .contentType("application/json").contentLength((long) bytes.length)
                .ifNoneMatch(mustBeNew ? "*" : null).ifMatch(mustBeNew ? null : ifMatch)
                .putObjectBody(new ByteArrayInputStream(bytes))
                .build())).getETag();
    }
}
