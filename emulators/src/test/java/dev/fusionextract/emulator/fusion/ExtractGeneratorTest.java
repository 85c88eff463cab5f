package dev.fusionextract.emulator.fusion;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractGeneratorTest {

    private static byte[] bytes(OutputContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        content.writeTo(out);
        return out.toByteArray();
    }

    /** Entry name to content, read by streaming (as the transfer path will). */
    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(new ByteArrayInputStream(zip), "UTF-8", true, true)) {
            ZipArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void producesOneZipPerChunkWithOneCsvPerTableNamedTheFusionWay() throws IOException {
        OutputSpec spec = OutputSpec.small().withChunks(2).withTables(List.of("suppliers", "invoices")).withManifest(false);
        List<OutputContent> files = ExtractGenerator.files(spec, "MyExtract", 44055);

        assertEquals(List.of("44055_S_MyExtract_extract_1763985379675_20251218_074210.849135_44055_1.zip",
                "44055_S_MyExtract_extract_1763985379675_20251218_074210.849135_44055_2.zip"), files.stream().map(OutputContent::name).toList());
        assertEquals(List.of("suppliers_2.csv", "invoices_2.csv"), new ArrayList<>(entries(bytes(files.get(1))).keySet()));
        String csv = new String(entries(bytes(files.get(0))).get("suppliers_1.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("ID,CODE,NAME,AMOUNT,CURRENCY,LAST_UPDATE_DATE\n1,"), csv.substring(0, 60));
    }

    @Test
    void isDeterministicForTheSameSpecAndJob() throws IOException {
        OutputContent a = ExtractGenerator.files(OutputSpec.small(), "X", 1).get(0);
        OutputContent b = ExtractGenerator.files(OutputSpec.small(), "X", 1).get(0);
        OutputContent otherJob = ExtractGenerator.files(OutputSpec.small(), "X", 2).get(0);
        assertArrayEquals(bytes(a), bytes(b));
        assertTrue(!entries(bytes(a)).get("suppliers_1.csv").equals(entries(bytes(otherJob)).get("suppliers_1.csv")));
    }

    @Test
    void spreadsTheRequestedVolumeOverChunksAndTables() throws IOException {
        OutputSpec spec = OutputSpec.small().withChunks(4).withUncompressedBytes(400_000).withManifest(false);
        long total = 0;
        for (OutputContent file : ExtractGenerator.files(spec, "X", 9)) {
            for (byte[] entry : entries(bytes(file)).values()) {
                total += entry.length;
            }
        }
        assertTrue(total >= 400_000 && total < 400_000 + 12 * 200, "total " + total);
    }

    @Test
    void finalChunkCarriesAManifestWithTheSha256OfEveryCsvEntry() throws Exception {
        List<OutputContent> files = ExtractGenerator.files(OutputSpec.small(), "X", 77);
        Map<String, byte[]> all = new LinkedHashMap<>();
        for (OutputContent file : files) {
            all.putAll(entries(bytes(file)));
        }
        String manifest = new String(all.remove("MANIFEST_EXTRACT_77.mf"), StandardCharsets.UTF_8);
        List<String> lines = manifest.lines().toList();
        assertEquals(all.size(), lines.size());
        for (String line : lines) {
            String[] parts = line.split(";");
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.get(parts[0])));
            assertEquals(expected, parts[2], line);
        }
    }

    @Test
    void storedEntriesWithDataDescriptorsDefeatJavaUtilZipButStreamWithCommonsCompress() throws IOException {
        OutputSpec spec = OutputSpec.small().withVariant(ZipVariant.STORED_WITH_DATA_DESCRIPTOR);
        byte[] zip = bytes(ExtractGenerator.files(spec, "X", 5).get(0));

        assertThrows(ZipException.class, () -> {
            try (ZipInputStream jdk = new ZipInputStream(new ByteArrayInputStream(zip))) {
                while (jdk.getNextEntry() != null) {
                    jdk.readAllBytes();
                }
            }
        });
        Map<String, byte[]> streamed = entries(zip);
        try (ZipFile central = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(central.getEntries())) {
                assertEquals(ZipArchiveEntry.STORED, entry.getMethod());
                assertTrue(entry.getGeneralPurposeBit().usesDataDescriptor());
                assertArrayEquals(central.getInputStream(entry).readAllBytes(), streamed.get(entry.getName()));
            }
        }
    }

    @Test
    void zip64VariantWritesZip64Records() throws IOException {
        byte[] zip = bytes(ExtractGenerator.files(OutputSpec.small().withVariant(ZipVariant.ZIP64), "X", 5).get(0));
        assertTrue(indexOf(zip, new byte[]{0x50, 0x4b, 0x06, 0x06}) > 0, "ZIP64 end of central directory record");
        assertEquals(3, entries(zip).size());
    }

    @Test
    void zipSlipVariantPlantsAnEscapingEntryName() throws IOException {
        byte[] zip = bytes(ExtractGenerator.files(OutputSpec.small().withVariant(ZipVariant.ZIP_SLIP), "X", 5).get(0));
        assertTrue(entries(zip).containsKey(ExtractGenerator.SLIP_ENTRY_NAME));
    }

    @Test
    void zipBombVariantCompressesAboutAThousandToOne() throws IOException {
        OutputSpec spec = OutputSpec.small().withUncompressedBytes(20_000_000);
        byte[] zip = bytes(ExtractGenerator.files(spec.withVariant(ZipVariant.ZIP_BOMB), "X", 5).get(0));
        assertTrue(zip.length < 40_000, "compressed " + zip.length);
        assertEquals(20_000_000, entries(zip).get("zeros.csv").length);
    }

    @Test
    void nonAsciiTableNamesAreWrittenAsUtf8() throws IOException {
        OutputSpec spec = OutputSpec.small().withTables(List.of("fournisseurs_données", "仕入先"));
        assertTrue(entries(bytes(ExtractGenerator.files(spec, "X", 5).get(0))).containsKey("仕入先_1.csv"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
