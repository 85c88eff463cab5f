package dev.fusionextract.logging;

import dev.fusionextract.failure.Reasons;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an upstream may echo back is masked before it is written anywhere; reasons are cut to a documented length. */
class RedactorTest {

    private final Redactor redactor = new Redactor();

    @Test
    void masksSecretsAnUpstreamEchoesInFormsProseAndHeaders() {
        String echoed = redactor.redact("invalid request: client_secret=s3cr3t-value&grant_type=password&password=hunter2hunter2; "
                + "access_token: opaque-abcdef123 Authorization: Bearer abc.def.ghi");
        for (String secret : new String[]{"s3cr3t-value", "hunter2hunter2", "opaque-abcdef123", "abc.def.ghi"}) {
            assertFalse(echoed.contains(secret), secret + " in " + echoed);
        }
        assertTrue(echoed.contains("grant_type=password"), "what is not a secret stays readable: " + echoed);
    }

    @Test
    void masksARegisteredValueWhereverItAppearsAndLeavesJsonWellFormed() {
        redactor.register("tok-1234567890");
        assertEquals("{\"reason\":\"echoed ****\"}", redactor.redact("{\"reason\":\"echoed tok-1234567890\"}"));
        assertEquals("{\"password\":\"****\"}", redactor.redact("{\"password\":\"x\"}"));
    }

    @Test
    void aReasonIsCutToItsDocumentedLengthAndSaysSo() {
        String cut = Reasons.cut("x".repeat(70_000));
        assertEquals(Reasons.MAX_CHARS, cut.length());
        assertTrue(cut.endsWith("more characters cut)"), cut.substring(900));
        assertEquals("short", Reasons.cut("short"));
        assertEquals("IllegalStateException: boom", Reasons.of(new IllegalStateException("boom")));
        assertEquals("NullPointerException", Reasons.of(new NullPointerException()));
    }
}
