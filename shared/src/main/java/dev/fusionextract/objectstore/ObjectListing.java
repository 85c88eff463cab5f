package dev.fusionextract.objectstore;

import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.responses.ListObjectsResponse;
import dev.fusionextract.oci.OciCalls;

import java.util.ArrayList;
import java.util.List;

/** The objects under a prefix, following Object Storage's {@code nextStartWith} pages, never more than asked for. */
public final class ObjectListing {

    private ObjectListing() {
    }

    /**
     * At most {@code max} objects of {@code bucket} whose names start with {@code prefix}, in name order, with the
     * listing {@code fields} (e.g. {@code "name,etag,timeCreated"}; null for names only).
     */
    public static List<ObjectSummary> under(ObjectStorage client, OciCalls calls, String namespace, String bucket, String prefix, String fields,
                                            int max) {
        List<ObjectSummary> objects = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            int limit = Math.min(1000, max - objects.size());
            ListObjectsResponse page = calls.call("Listing " + bucket + "/" + prefix, () -> client.listObjects(ListObjectsRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).prefix(prefix).start(from).fields(fields).limit(limit).build()));
            page.getListObjects().getObjects().stream().limit(max - objects.size()).forEach(objects::add);
            start = page.getListObjects().getNextStartWith();
        } while (start != null && objects.size() < max);
        return objects;
    }
}
