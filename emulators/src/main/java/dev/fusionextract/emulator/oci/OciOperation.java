package dev.fusionextract.emulator.oci;

/** Every operation the OCI emulator serves; faults are injected per operation. */
public enum OciOperation {
    GET_NAMESPACE,
    GET_BUCKET,
    PUT_OBJECT,
    HEAD_OBJECT,
    GET_OBJECT,
    DELETE_OBJECT,
    LIST_OBJECTS,
    CREATE_MULTIPART_UPLOAD,
    UPLOAD_PART,
    COMMIT_MULTIPART_UPLOAD,
    ABORT_MULTIPART_UPLOAD,
    LIST_MULTIPART_UPLOAD_PARTS,
    LIST_MULTIPART_UPLOADS,
    GET_SECRET_BUNDLE,
    PUBLISH_MESSAGE,
    CREATE_TASK_RUN,
    GET_TASK_RUN,
    LIST_TASK_RUNS,
    GET_PUBLISHED_OBJECT,
    POST_METRIC_DATA
}
