package dev.fusionextract.objectstore;

/**
 * An object the writer stored.
 *
 * @param md5        base64 MD5 of the whole content, computed while streaming
 * @param storageMd5 what Object Storage reports and checked: the content MD5 for a single PUT, or the
 *                   multipart MD5 ({@code base64(md5(part md5s))-<parts>})
 * @param parts      0 for a single PUT
 */
public record WrittenObject(String bucket, String name, long size, String md5, String storageMd5, String etag, int parts) {
}
