package dev.fusionextract.objectstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import dev.fusionextract.logging.Redactor;
import dev.fusionextract.oci.OciCalls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a small object as JSON, optionally conditional: {@code if-none-match: *} to be the first ({@code mustBeNew}),
 * {@code if-match} to replace only the version read. A refused condition surfaces as the SDK's 412 (or 409). The
 * JSON passes the redactor like a log line: a reason may quote an upstream that echoed a secret.
 */
public final class JsonPut {

    private JsonPut() {
    }

    /** Returns the new ETag. */
    public static String put(ObjectStorage client, OciCalls calls, String namespace, String bucket, String name, ObjectMapper json,
                             Redactor redactor, Object value, String ifMatch, boolean mustBeNew) {
        byte[] bytes;
        try {
            bytes = redactor.redact(json.writeValueAsString(value)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name + " could not be written as JSON", e);
        }
        return calls.call("Writing " + name, () -> client.putObject(PutObjectRequest.builder()
                .namespaceName(namespace).bucketName(bucket).objectName(name)
                .contentType("application/json").contentLength((long) bytes.length)
                .ifNoneMatch(mustBeNew ? "*" : null).ifMatch(mustBeNew ? null : ifMatch)
                .putObjectBody(new ByteArrayInputStream(bytes))
                .build())).getETag();
    }
}
