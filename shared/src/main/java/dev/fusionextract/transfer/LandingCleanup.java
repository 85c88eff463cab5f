package dev.fusionextract.transfer;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.MultipartUpload;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.AbortMultipartUploadRequest;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListMultipartUploadsRequest;
import com.oracle.bmc.objectstorage.responses.ListMultipartUploadsResponse;
import dev.fusionextract.logging.JsonLog;
import dev.fusionextract.objectstore.ObjectListing;
import dev.fusionextract.oci.OciCalls;

import java.util.List;

/**
 * Removes what a run left under its landing folder: multipart uploads still open (a dead or failed invocation's)
 * and, for a run that failed for good, every object. Used when a transfer starts (open uploads) and whenever a
 * run ends FAILED or TIMED_OUT while transferring (everything), so that nothing half-written is left behind.
 */
public final class LandingCleanup {

    private final ObjectStorage objectStorage;
    private final OciCalls calls;
    private final String namespace;
    private final String bucket;
    private final JsonLog log;

    public LandingCleanup(ObjectStorage objectStorage, OciCalls calls, String namespace, String bucket, JsonLog log) {
        this.objectStorage = objectStorage;
        this.calls = calls;
        this.namespace = namespace;
        this.bucket = bucket;
        this.log = log;
    }

    /** Aborts every open multipart upload of an object under {@code folder}. */
    public void abortOpenUploads(String folder) {
        String page = null;
        do {
            String from = page;
            ListMultipartUploadsResponse response = calls.call("Listing open uploads in " + bucket, () -> objectStorage.listMultipartUploads(
                    ListMultipartUploadsRequest.builder().namespaceName(namespace).bucketName(bucket).limit(1000).page(from).build()));
            for (MultipartUpload upload : response.getItems()) {
                if (upload.getObject().startsWith(folder)) {
                    calls.call("Aborting an upload left open", () -> objectStorage.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                            .namespaceName(namespace).bucketName(bucket).objectName(upload.getObject()).uploadId(upload.getUploadId()).build()));
                }
            }
            page = response.getOpcNextPage();
        } while (page != null);
    }

    /** Aborts the open uploads and deletes every object under {@code folder}. */
    public void removeAll(String folder) {
        abortOpenUploads(folder);
        objectsUnder(folder).forEach(this::remove);
        log.info("landing folder cleared", "bucket", bucket, "folder", folder);
    }

    /** Deletes one landed object; one already gone is fine. */
    public void remove(String object) {
        try {
            calls.call("Deleting " + bucket + "/" + object, () -> objectStorage.deleteObject(DeleteObjectRequest.builder()
                    .namespaceName(namespace).bucketName(bucket).objectName(object).build()));
        } catch (BmcException e) {
            if (e.getStatusCode() != 404) {
                throw e;
            }
        }
    }

    private List<String> objectsUnder(String folder) {
        return ObjectListing.under(objectStorage, calls, namespace, bucket, folder, null, Integer.MAX_VALUE).stream()
                .map(ObjectSummary::getName).toList();
    }
}
