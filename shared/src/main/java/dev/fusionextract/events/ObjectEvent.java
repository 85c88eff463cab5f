package dev.fusionextract.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * An Object Storage event as OCI Events delivers it to a function: a CloudEvents 0.1 envelope whose
 * {@code data} names the bucket, the object and its ETag.
 */
public record ObjectEvent(String eventType, String eventId, String namespace, String bucket, String objectName, String etag) {

    public static final String CREATE_OBJECT = "com.oraclecloud.objectstorage.createobject";
    /** What an overwrite of an existing object emits: a new version of a request object is a new run too. */
    public static final String UPDATE_OBJECT = "com.oraclecloud.objectstorage.updateobject";

    /** True for the CloudEvents envelope (by its {@code cloudEventsVersion}), whatever its content. */
    public static boolean isEnvelope(JsonNode body) {
        return body != null && body.isObject() && body.has("cloudEventsVersion") && body.has("eventType");
    }

    /** The event in the envelope, when it is about an Object Storage object. */
    public static Optional<ObjectEvent> from(JsonNode envelope) {
        JsonNode data = envelope.path("data");
        if (!data.path("additionalDetails").path("bucketName").isTextual() || !data.path("resourceName").isTextual()) {
            return Optional.empty();
        }
        JsonNode details = data.path("additionalDetails");
        String bucket = details.path("bucketName").asText("");
        String object = data.path("resourceName").asText("");
        if (bucket.isEmpty() || object.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ObjectEvent(envelope.path("eventType").asText(), envelope.path("eventID").asText(""),
                details.path("namespace").asText(""), bucket, object, details.path("eTag").asText("")));
    }

    public boolean isCreate() {
        return CREATE_OBJECT.equals(eventType);
    }

    public boolean isCreateOrUpdate() {
        return CREATE_OBJECT.equals(eventType) || UPDATE_OBJECT.equals(eventType);
    }
}
