package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.emulator.http.Exchanges;

import java.time.Instant;
import java.util.UUID;

/** The CloudEvents 0.1 envelope OCI Events delivers to a function for an Object Storage event. */
public final class ObjectEvents {

    public static final String CREATE_OBJECT = "com.oraclecloud.objectstorage.createobject";

    private ObjectEvents() {
    }

    public static String envelope(String eventType, String namespace, String bucket, String objectName, String etag, Instant at) {
        ObjectNode event = Exchanges.JSON.createObjectNode();
        event.put("eventType", eventType);
        event.put("cloudEventsVersion", "0.1");
        event.put("eventTypeVersion", "2.0");
        event.put("source", "ObjectStorage");
        event.put("eventID", UUID.randomUUID().toString());
        event.put("eventTime", at.toString());
        event.put("contentType", "application/json");
        event.putObject("extensions").put("compartmentId", "ocid1.compartment.oc1..local");
        ObjectNode data = event.putObject("data");
        data.put("compartmentId", "ocid1.compartment.oc1..local");
        data.put("compartmentName", "local");
        data.put("resourceName", objectName);
        data.put("resourceId", "/n/" + namespace + "/b/" + bucket + "/o/" + objectName);
        data.put("availabilityDomain", "AD1");
        ObjectNode details = data.putObject("additionalDetails");
        details.put("bucketName", bucket);
        details.put("namespace", namespace);
        details.put("bucketId", "ocid1.bucket.oc1..local-" + bucket);
        details.put("eTag", etag);
        details.put("archivalState", "Available");
        return event.toString();
    }

    public static String created(ObjectStorageService.CreatedObject object, Instant at) {
        return envelope(CREATE_OBJECT, object.namespace(), object.bucket(), object.name(), object.etag(), at);
    }
}
