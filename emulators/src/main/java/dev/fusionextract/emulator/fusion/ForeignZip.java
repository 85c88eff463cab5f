package dev.fusionextract.emulator.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ZIP archives written by other software than ours (Info-ZIP, Python's zipfile), kept as they came out of those
 * tools under {@code foreign/} beside this class; its README and {@code make-fixtures.sh} say how each was made.
 * Served as output files, they show that the pipeline reads what Fusion, or any other producer, may write.
 */
public enum ForeignZip {

    /** {@code zip -r}: directory entries, UT and ux extended-timestamp extra fields. */
    INFOZIP_TREE("infozip-tree.zip"),
    /** {@code zip -fz}: ZIP64 extra fields in local and central headers. */
    INFOZIP_ZIP64("infozip-zip64.zip"),
    /** {@code zip - -} from a pipe: a DEFLATED entry with a data descriptor. */
    INFOZIP_STREAM("infozip-stream.zip"),
    /** Python's streaming zipfile: DEFLATED entries with data descriptors. */
    PYTHON_STREAM_DEFLATED("python-stream-deflated.zip"),
    /** Python's streaming zipfile: STORED entries with data descriptors. */
    PYTHON_STREAM_STORED("python-stream-stored.zip"),
    /** A complete ZIP with no entries: only an end-of-central-directory record. */
    EMPTY("empty.zip");

    /** One file entry of an archive as the tool that made it recorded it. */
    public record Entry(String name, long size, String crc32, long rows) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String file;

    ForeignZip(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public byte[] bytes() {
        try (InputStream in = ForeignZip.class.getResourceAsStream("/dev/fusionextract/emulator/foreign/" + file)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + file + " is missing from the emulators jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The archive served as an output file named {@code name}. */
    public OutputContent asOutput(String name) {
        return OutputContent.ofBytes(name, bytes());
    }

    /** Its file entries (directories left out), from the fixtures' {@code expected.json}. */
    public List<Entry> entries() {
        try (InputStream in = ForeignZip.class.getResourceAsStream("/dev/fusionextract/emulator/foreign/expected.json")) {
            JsonNode all = JSON.readTree(in);
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : all.path(file)) {
                entries.add(new Entry(e.path("name").asText(), e.path("size").asLong(), e.path("crc32").asText(), e.path("rows").asLong()));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
