package dev.fusionextract.fusion;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesAndLinksTest {

    @Test
    void safeNameKeepsOnlyTheBaseNameWithoutOddCharacters() {
        assertEquals("44055_S_MyExtract_1.zip", SafeName.of("44055_S_MyExtract_1.zip"));
        assertEquals("passwd", SafeName.of("../../etc/passwd"));
        assertEquals("evil.zip", SafeName.of("C:\\temp\\evil.zip"));
        assertEquals("C_evil.zip", SafeName.of("C:evil.zip"));
        assertEquals("a_b.csv", SafeName.of("a b.csv"));
        assertEquals("abc.csv", SafeName.of("a\u0000b\nc.csv"));
        assertEquals("hidden", SafeName.of("...hidden"));
        assertEquals("file", SafeName.of(".."));
        assertEquals("données_仕入先.csv", SafeName.of("données_仕入先.csv"));
        assertEquals(200, SafeName.of("x".repeat(500)).length());
    }

    private final DownloadLinks https = new DownloadLinks(URI.create("https://fa-abcd.fa.ocs.oraclecloud.com"));

    @Test
    void acceptsLinksOnTheConfiguredHost() {
        assertDoesNotThrow(() -> https.check(URI.create("https://fa-abcd.fa.ocs.oraclecloud.com/api/x/content")));
        assertDoesNotThrow(() -> https.check(URI.create("https://FA-ABCD.fa.ocs.oraclecloud.com:443/api/x/content")));
        assertEquals(URI.create("https://fa-abcd.fa.ocs.oraclecloud.com/api/x/content"), https.resolve("/api/x/content"));
    }

    @Test
    void refusesLinksToAnotherHostPortOrScheme() {
        for (String link : new String[]{
                "https://evil.example.com/api/x/content",
                "https://fa-abcd.fa.ocs.oraclecloud.com.evil.com/x",
                "https://fa-abcd.fa.ocs.oraclecloud.com:8443/x",
                "http://fa-abcd.fa.ocs.oraclecloud.com/x",
                "https://user@fa-abcd.fa.ocs.oraclecloud.com/x",
                "ftp://fa-abcd.fa.ocs.oraclecloud.com/x"}) {
            RefusedLinkException e = assertThrows(RefusedLinkException.class, () -> https.check(URI.create(link)), link);
            assertTrue(e.getMessage().contains("FUSION_BASE_URL"), e.getMessage());
        }
    }

    @Test
    void acceptsPlainHttpOnlyWhenTheConfiguredBaseIsLoopbackHttp() {
        DownloadLinks loopback = new DownloadLinks(URI.create("http://127.0.0.1:8080"));
        assertDoesNotThrow(() -> loopback.check(URI.create("http://127.0.0.1:8080/x")));
        assertThrows(RefusedLinkException.class, () -> loopback.check(URI.create("http://127.0.0.1:8081/x")));
        assertThrows(RefusedLinkException.class, () -> loopback.check(URI.create("http://localhost:8080/x")));
    }

    @Test
    void jobRequestIdsMustBePathSafe() {
        assertEquals("44046", new JobRequestId("44046").value());
        assertThrows(RuntimeException.class, () -> new JobRequestId("../44046"));
        assertThrows(RuntimeException.class, () -> new JobRequestId(""));
        assertFalse(new JobRequestId("a-1_B").value().isEmpty());
    }
}
