package dev.fusionextract.transfer.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.ForeignZip;
import dev.fusionextract.emulator.fusion.OutputContent;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.fusion.ZipVariant;
import dev.fusionextract.emulator.oci.StoredObject;
import dev.fusionextract.fusion.ExtractJob;
import dev.fusionextract.fusion.ExtractMode;
import dev.fusionextract.fusion.FusionBatchClient;
import dev.fusionextract.fusion.JobRequestId;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.ledger.Stage;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import dev.fusionextract.testing.ExpectedOutput;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.fusionextract.testing.ChainFixture.LANDING;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** transfer-function over both emulators: real ZIP bytes from the Fusion simulator into the OCI emulator's bucket. */
class TransferFunctionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOLDER = "fusion/Suppliers/2026-01-15/44046/";
    private final ChainFixture fx = new ChainFixture();
    private Components components;
    private Deliveries deliveries;

    @AfterEach
    void close() {
        fx.close();
    }

    /** A run whose job finished in the simulator: what poll-function hands to transfer. */
    private String finishedRun(ExtractDefinition extract) throws Exception {
        fx.fusion.defineExtract(extract.script("SUCCEEDED"));
        components = fx.components(ConfigKey.Reader.TRANSFER);
        FusionBatchClient fusion = components.fusion();
        String jobId = fusion.submit(ExtractJob.immediate(extract.name(), ExtractMode.FULL)).value();
        fusion.status(new JobRequestId(jobId));
        components.ledger().create(RunRecord.requested("r-1", JSON.readTree("{\"extractName\":\"" + extract.name()
                + "\",\"mode\":\"FULL\",\"landingPrefix\":\"fusion\"}"), fx.now()));
        components.ledger().update("r-1", r -> r.moveTo(RunState.SUBMITTED, null, fx.now()).withJobRequestId(jobId, fx.now())
                .moveTo(RunState.TRANSFERRING, null, fx.now()));
        deliveries = new Deliveries(fx).route(TRANSFER_TOPIC, TransferFunction.with(components)::handleRequest);
        return "{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r-1\",\"jobRequestId\":\"" + jobId + "\",\"attempt\":1}";
    }

    private RunRecord run() {
        return components.ledger().read("r-1").orElseThrow().record();
    }

    /** Object name → bytes, of everything under the landing folder except the manifest. */
    private Map<String, byte[]> landed() {
        Map<String, byte[]> objects = new TreeMap<>();
        for (String name : fx.oci.objectStorage().objectNames(LANDING)) {
            if (!name.endsWith("_manifest.json")) {
                objects.put(name, fx.oci.objectStorage().object(LANDING, name).orElseThrow().content());
            }
        }
        return objects;
    }

    private static String md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private JsonNode manifest() throws IOException {
        return JSON.readTree(fx.oci.objectStorage().object(LANDING, FOLDER + "_manifest.json").orElseThrow().content());
    }

    private void assertNothingLanded() {
        assertEquals(List.of(), fx.oci.objectStorage().objectNames(LANDING), "nothing left under the landing prefix");
        assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING), "no open multipart upload");
    }

    @ParameterizedTest
    @EnumSource(value = ZipVariant.class, names = {"DEFLATED", "STORED_WITH_DATA_DESCRIPTOR", "ZIP64"})
    void everyEntryLandsByteForByteWithItsMd5RowsAndCrc(ZipVariant variant) throws Exception {
        fx.settings().put("UPLOAD_PART_SIZE_MIB", "1"); // so the larger entries go multipart
        fx.settings().put("ZIP_MAX_UNZIPPED_GIB", "9"); // what 10,000 parts of 1 MiB can hold
        OutputSpec spec = OutputSpec.small().withVariant(variant).withUncompressedBytes(9 * 1024 * 1024)
                .withTables(List.of("suppliers", "fournisseurs_données"));
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(spec));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("LANDED", reply.path("state").asText(), reply.toString());

        Map<String, byte[]> expected = ExpectedOutput.of(spec, "Suppliers", 44046);
        Map<String, byte[]> landed = landed();
        assertEquals(expected.size(), landed.size());
        JsonNode manifest = manifest();
        for (JsonNode object : manifest.path("objects")) {
            byte[] source = expected.get(object.path("entry").asText());
            byte[] stored = landed.get(object.path("name").asText());
            assertArrayEquals(source, stored, object.path("name").asText());
            assertEquals(md5(source), object.path("md5").asText());
            StoredObject inBucket = fx.oci.objectStorage().object(LANDING, object.path("name").asText()).orElseThrow();
            assertEquals(inBucket.listedMd5(), object.path("storageMd5").asText());
            if (object.path("entry").asText().endsWith(".csv")) {
                long lines = new String(source, StandardCharsets.UTF_8).lines().count();
                assertEquals(lines - 1, object.path("rows").asLong(), "rows of " + object.path("entry").asText());
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(source);
            assertEquals(Long.toHexString(crc.getValue()), object.path("crc32").asText());
        }
        assertTrue(landed.containsKey(FOLDER + "fournisseurs_données_1.csv"), "non-ASCII names land as they are");
        assertEquals(RunState.LANDED, run().state());
        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).get(0).body().contains("LANDED"));
        assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING));
    }

    @Test
    void foldersInsideTheZipAreKeptAndFilesThatAreNotZipsAreCopiedAsTheyAre() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.putArchiveEntry(new ZipArchiveEntry("views/"));
            out.closeArchiveEntry();
            out.putArchiveEntry(new ZipArchiveEntry("views/ap/invoices.csv"));
            out.write("ID,AMOUNT\n1,\"12,50\"\n2,\"multi\nline\"\n".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        byte[] mf = "views/ap/invoices.csv;1;abc\n".getBytes(StandardCharsets.UTF_8);
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none()).extraFiles(List.of(
                OutputContent.ofBytes("44046_S_Suppliers_x_1.zip", zip.toByteArray()),
                OutputContent.ofBytes("MANIFEST_EXTRACT_44046.mf", mf))));
        deliveries.deliver(TRANSFER_TOPIC, message);
        Map<String, byte[]> landed = landed();
        assertEquals(List.of(FOLDER + "MANIFEST_EXTRACT_44046.mf", FOLDER + "views/ap/invoices.csv"), List.copyOf(landed.keySet()));
        assertArrayEquals(mf, landed.get(FOLDER + "MANIFEST_EXTRACT_44046.mf"));
        JsonNode invoices = manifest().path("objects").get(0);
        assertEquals(2, invoices.path("rows").asLong(), "a newline inside quotes is not a row");
    }

    @Test
    void aJobWithNoOutputLandsAnEmptyManifestAndSaysSo() throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none()));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("LANDED", reply.path("state").asText());
        JsonNode manifest = manifest();
        assertEquals(0, manifest.path("totalObjects").asInt());
        assertEquals("The job produced no output files.", manifest.path("note").asText());
        assertTrue(run().reason().contains("no output files"), run().reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../escaped.csv", "/etc/passwd", "a\\\\b.csv", "C:/x.csv", "bad\u0007name.csv"})
    void aHostileEntryNameFailsTheRunAndLeavesNothing(String name) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        // java.util.zip writes names as given (commons-compress would turn a backslash into a slash on the way in)
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("fine.csv"));
            out.write("A\n1\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            out.write("A\n1\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(OutputContent.ofBytes("44046_S_hostile_1.zip", zip.toByteArray()))));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText());
        assertTrue(reply.path("reason").asText().startsWith("Output file 44046_S_hostile_1.zip was refused: entry"), reply.toString());
        assertNothingLanded();
    }

    @Test
    void theSimulatorsZipSlipAndZipBombAreRefused() throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withVariant(ZipVariant.ZIP_SLIP)));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertTrue(reply.path("reason").asText().contains("climbs out of its folder"), reply.toString());
        assertNothingLanded();
    }

    @Test
    void aZipBombIsRefusedOnTheBytesActuallyRead() throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withVariant(ZipVariant.ZIP_BOMB)
                .withUncompressedBytes(300L * 1024 * 1024)));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText());
        assertTrue(reply.path("reason").asText().contains("ZIP_MAX_RATIO"), reply.toString());
        assertNothingLanded();
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        fx.settings().put("ZIP_MAX_ENTRIES", "2");
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withManifest(false)));
        assertTrue(JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply()).path("reason").asText().contains("ZIP_MAX_ENTRIES"));
        assertNothingLanded();
    }

    @Test
    void aWrongChecksumFailsTheRunNamingTheFileAndLeavesNothing() throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers").wrongChecksum(true));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText());
        assertTrue(reply.path("reason").asText().contains("44046_S_Suppliers_extract_") && reply.path("reason").asText().contains("SHA-256"),
                reply.toString());
        assertNothingLanded();
    }

    @Test
    void aDownloadThatKeepsBreakingIsRetriedABoundedNumberOfTimesThenFails() throws Exception {
        fx.settings().put("RETRY_MAX_ATTEMPTS", "1");
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withUncompressedBytes(2_000_000)));
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(5_000), 10);
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText());
        assertTrue(reply.path("reason").asText().contains("could not be landed in 3 attempts"), reply.toString());
        assertNothingLanded();
    }

    @Test
    void aDroppedDownloadResumesAndTheResultIsWhole() throws Exception {
        OutputSpec spec = OutputSpec.small().withUncompressedBytes(3_000_000);
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(spec));
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(40_000));
        deliveries.deliver(TRANSFER_TOPIC, message);
        assertEquals(RunState.LANDED, run().state());
        assertEquals(ExpectedOutput.of(spec, "Suppliers", 44046).size(), landed().size());
    }

    @Test
    void aShortBudgetLandsFileByFileThroughContinuationsWithTheSameResult() throws Exception {
        fx.settings().put("DEADLINE_MARGIN_SECONDS", "310"); // no budget left: one file per invocation
        OutputSpec spec = OutputSpec.small().withChunks(4);
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(spec));
        deliveries.deliver(TRANSFER_TOPIC, message);
        deliveries.drain(10);
        assertEquals(4, deliveries.to(TRANSFER_TOPIC).size(), "one invocation per file");
        assertTrue(fx.oci.notifications().messages(TRANSFER_TOPIC).get(0).body().contains("\"cursor\""));
        assertEquals(RunState.LANDED, run().state());
        Map<String, byte[]> expected = ExpectedOutput.of(spec, "Suppliers", 44046);
        assertEquals(expected.size(), landed().size());
        assertEquals(4, manifest().path("files").size());
    }

    @Test
    void anInvocationKilledMidFileIsTakenOverAndTheResultIsWhole() throws Exception {
        OutputSpec spec = OutputSpec.small().withChunks(3);
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(spec));
        // What a killed invocation leaves: its claim, a half-written object of an unrecorded file, an open upload.
        components.ledger().update("r-1", r -> r.claim(Stage.TRANSFER, 1, fx.now().plusSeconds(300), fx.now()));
        fx.oci.objectStorage().put(LANDING, FOLDER + "suppliers_1.csv", "ID,CODE\n1,half".getBytes(StandardCharsets.UTF_8));
        components.oci().objectStorage().createMultipartUpload(com.oracle.bmc.objectstorage.requests.CreateMultipartUploadRequest.builder()
                .namespaceName(components.oci().namespace()).bucketName(LANDING)
                .createMultipartUploadDetails(com.oracle.bmc.objectstorage.model.CreateMultipartUploadDetails.builder()
                        .object(FOLDER + "invoices_1.csv").build()).build());
        Deliveries.Delivery busy = deliveries.deliver(TRANSFER_TOPIC, message);
        assertEquals(502, busy.status(), "a held attempt is answered as an error, so that Notifications delivers it again");
        assertTrue(busy.reply().contains("held by another invocation"), busy.reply());
        fx.time.advance(java.time.Duration.ofSeconds(301));
        deliveries.deliver(TRANSFER_TOPIC, message);
        assertEquals(RunState.LANDED, run().state());
        Map<String, byte[]> expected = ExpectedOutput.of(spec, "Suppliers", 44046);
        Map<String, byte[]> landed = landed();
        assertEquals(expected.size(), landed.size());
        assertArrayEquals(expected.get("suppliers_1.csv"), landed.get(FOLDER + "suppliers_1.csv"), "the half object was rewritten whole");
        assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING));
    }

    @Test
    void aDuplicateTransferDoesNoWorkTwiceAndWritesOneManifest() throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers"));
        deliveries.deliver(TRANSFER_TOPIC, message);
        long downloads = fx.fusion.requests().stream().filter(r -> r.rawPath().endsWith("/content")).count();
        JsonNode second = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertTrue(second.path("dropped").asText().contains("LANDED"), second.toString());
        assertEquals(downloads, fx.fusion.requests().stream().filter(r -> r.rawPath().endsWith("/content")).count());
        assertEquals(1, fx.oci.objectStorage().objectNames(LANDING).stream().filter(n -> n.endsWith("_manifest.json")).count());
    }

    // ---- ZIPs that other software writes ----

    @ParameterizedTest
    @EnumSource(value = ForeignZip.class, names = "EMPTY", mode = EnumSource.Mode.EXCLUDE)
    void aZipWrittenByAnotherToolLandsEveryEntryWithItsSizeCrcAndRows(ForeignZip archive) throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(archive.asOutput("44046_S_" + archive.file()))));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("LANDED", reply.path("state").asText(), reply.toString());
        Map<String, JsonNode> byEntry = new TreeMap<>();
        manifest().path("objects").forEach(o -> byEntry.put(o.path("entry").asText(), o));
        List<ForeignZip.Entry> expected = archive.entries();
        assertEquals(expected.size(), byEntry.size(), "one object per file entry, directories left out: " + byEntry.keySet());
        for (ForeignZip.Entry entry : expected) {
            JsonNode object = byEntry.get(entry.name());
            assertEquals(entry.size(), object.path("size").asLong(), entry.name());
            assertEquals(entry.crc32(), object.path("crc32").asText(), entry.name());
            if (entry.name().endsWith(".csv")) {
                assertEquals(entry.rows(), object.path("rows").asLong(), entry.name());
            }
            byte[] stored = fx.oci.objectStorage().object(LANDING, object.path("name").asText()).orElseThrow().content();
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(stored);
            assertEquals(entry.crc32(), Long.toHexString(crc.getValue()), "the landed bytes are the entry's bytes");
        }
    }

    @Test
    void aZipWrittenByTheJdkWithExtendedTimestampsLands() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        byte[] csv = "ID,NAME\n1,a\n2,b\n3,c\n".getBytes(StandardCharsets.UTF_8);
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("dated/suppliers.csv");
            // Extended timestamps: the JDK writes them as an extra field (0x5455) beside the DOS time.
            entry.setLastModifiedTime(java.nio.file.attribute.FileTime.fromMillis(1_768_471_200_000L));
            entry.setCreationTime(java.nio.file.attribute.FileTime.fromMillis(1_768_400_000_000L));
            entry.setLastAccessTime(java.nio.file.attribute.FileTime.fromMillis(1_768_471_200_000L));
            out.putNextEntry(entry);
            out.write(csv);
            out.closeEntry();
        }
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(OutputContent.ofBytes("44046_S_jdk_1.zip", zip.toByteArray()))));
        assertEquals("LANDED", JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply()).path("state").asText());
        assertArrayEquals(csv, landed().get(FOLDER + "dated/suppliers.csv"));
        assertEquals(3, manifest().path("objects").get(0).path("rows").asLong());
    }

    @Test
    void aCompleteZipWithNoEntriesLandsAndTheManifestSaysSo() throws Exception {
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(ForeignZip.EMPTY.asOutput("44046_S_empty_1.zip"))));
        assertEquals("LANDED", JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply()).path("state").asText());
        JsonNode file = manifest().path("files").get(0);
        assertEquals(0, file.path("objects").asInt());
        assertTrue(file.path("note").asText().contains("no entries"), file.toString());
    }

    @Test
    void aFlippedByteInAnEntryWhoseCrcComesInADataDescriptorFailsTheFile() throws Exception {
        byte[] zip = ForeignZip.PYTHON_STREAM_STORED.bytes();
        // STORED: the entry's data is its CSV as it is; flip a byte of the first row's text.
        int at = new String(zip, StandardCharsets.ISO_8859_1).indexOf("\"Order 1\"") + 1;
        zip[at] = (byte) (zip[at] ^ 0x20);
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(OutputContent.ofBytes("44046_S_damaged_1.zip", zip))));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText(), reply.toString());
        assertTrue(reply.path("reason").asText().contains("has CRC-32") && reply.path("reason").asText().contains("the file is damaged"),
                reply.toString());
        assertNothingLanded();
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "truncated", "html", "csv"})
    void aFileNamedZipThatIsNotACompleteZipFailsTheFile(String kind) throws Exception {
        byte[] whole = ForeignZip.INFOZIP_TREE.bytes();
        byte[] content = switch (kind) {
            case "empty" -> new byte[0];
            case "truncated" -> java.util.Arrays.copyOf(whole, whole.length - 30);
            case "html" -> "<html><body><h1>503 Service Unavailable</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            default -> "ID,NAME\n1,a\n".getBytes(StandardCharsets.UTF_8);
        };
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(OutputContent.ofBytes("44046_S_notzip_1.zip", content))));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText(), kind + ": " + reply);
        assertTrue(reply.path("reason").asText().startsWith("Output file 44046_S_notzip_1.zip was refused"), reply.toString());
        assertNothingLanded();
    }

    @Test
    void anEntryOrAFileThatWouldLandAsTheManifestIsRefused() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("_manifest.json"));
            out.write("{\"runId\":\"someone-else\"}".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        String message = finishedRun(ExtractDefinition.named("Suppliers").output(OutputSpec.none())
                .extraFiles(List.of(OutputContent.ofBytes("44046_S_sneaky_1.zip", zip.toByteArray()))));
        JsonNode reply = JSON.readTree(deliveries.deliver(TRANSFER_TOPIC, message).reply());
        assertEquals("FAILED", reply.path("state").asText());
        assertTrue(reply.path("reason").asText().contains("a name the run writes itself"), reply.toString());
        assertNothingLanded();
    }
}
