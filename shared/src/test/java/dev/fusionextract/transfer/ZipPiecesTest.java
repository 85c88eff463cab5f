package dev.fusionextract.transfer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipPiecesTest {

    @Test
    void refusesEveryKindOfHostileName() {
        for (String name : new String[]{"/abs.csv", "../up.csv", "a/../../b.csv", "a\\b.csv", "C:x.csv", "c:/x.csv", "tab\there.csv",
                "nul\u0000.csv", "del\u007f.csv", ""}) {
            assertTrue(ZipGuard.nameProblem(name) != null, name);
        }
        for (String name : new String[]{"a.csv", "views/ap/inv.csv", "données/仕入先.csv", "a..b.csv", "./x.csv"}) {
            assertNull(ZipGuard.nameProblem(name), name);
        }
    }

    @Test
    void countsEntriesAndUnzippedBytesAsTheyAreRead() throws IOException {
        CountingInputStream zipped = new CountingInputStream(new ByteArrayInputStream(new byte[10]));
        ZipGuard guard = new ZipGuard(new ZipGuard.Limits(2, 100, 1000), "f.zip", zipped);
        guard.admit("a.csv");
        guard.admit("b.csv");
        assertThrows(ZipGuard.Refused.class, () -> guard.admit("c.csv"));
        InputStream entry = guard.entry(new ByteArrayInputStream(new byte[101]));
        ZipGuard.Refused e = assertThrows(ZipGuard.Refused.class, entry::readAllBytes);
        assertTrue(e.getMessage().contains("ZIP_MAX_UNZIPPED_GIB"), e.getMessage());
    }

    @Test
    void judgesTheRatioOnlyPastTheGraceAndOnBytesActuallyRead() throws IOException {
        CountingInputStream zipped = new CountingInputStream(new ByteArrayInputStream(new byte[1000]));
        zipped.readNBytes(1000);
        ZipGuard guard = new ZipGuard(new ZipGuard.Limits(10, Long.MAX_VALUE, 100), "f.zip", zipped);
        guard.entry(new ByteArrayInputStream(new byte[(int) ZipGuard.RATIO_GRACE_BYTES])).readAllBytes(); // 1048:1, but within the grace
        ZipGuard.Refused e = assertThrows(ZipGuard.Refused.class, () -> guard.entry(new ByteArrayInputStream(new byte[10])).readAllBytes());
        assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
    }

    @Test
    void measuresCrcAndCsvRowsWhileStreaming() throws IOException {
        byte[] csv = "ID,NOTE\n1,\"a\nb\"\n2,\"say \"\"hi\"\"\"\n3,last".getBytes(StandardCharsets.UTF_8);
        EntryMeter meter = new EntryMeter(true);
        for (int i = 0; i < csv.length; i += 5) {
            meter.update(csv, i, Math.min(5, csv.length - i)); // in pieces, as the writer's buffers arrive
        }
        CRC32 crc = new CRC32();
        crc.update(csv);
        assertEquals(crc.getValue(), meter.crc32());
        assertEquals(3, meter.rows());
        EntryMeter headerOnly = new EntryMeter(true);
        byte[] header = "ID\n".getBytes(StandardCharsets.UTF_8);
        headerOnly.update(header, 0, header.length);
        assertEquals(0, headerOnly.rows());
        EntryMeter other = new EntryMeter(false);
        other.update(csv, 0, csv.length);
        assertNull(other.rows());
    }

    @Test
    void landingNamesAreDerivedSegmentBySegment() {
        LandingNames names = LandingNames.of("erp/extracts/", "Suppliers & Sites", LocalDate.of(2026, 1, 15), "44046");
        assertEquals("erp/extracts/Suppliers___Sites/2026-01-15/44046/", names.folder());
        assertEquals("erp/extracts/Suppliers___Sites/2026-01-15/44046/views/ap/inv_1.csv", names.object("views//ap/./inv 1.csv"));
        assertEquals("erp/extracts/Suppliers___Sites/2026-01-15/44046/données.csv", names.object("données.csv"));
        assertEquals("erp/extracts/Suppliers___Sites/2026-01-15/44046/_manifest.json", names.manifest());
        assertEquals("_hidden", LandingNames.segment(".hidden"));
    }
}
