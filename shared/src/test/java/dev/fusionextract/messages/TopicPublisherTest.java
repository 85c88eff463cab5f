package dev.fusionextract.messages;

import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.testing.OciFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicPublisherTest {

    private static final String TOPIC = "ocid1.onstopic.oc1.iad.transfer";
    private final OciFixture fx = new OciFixture();
    private final TopicPublisher publisher;

    TopicPublisherTest() {
        fx.oci.notifications().createTopic(TOPIC);
        publisher = new TopicPublisher(fx.clients.notifications(fx.oci.endpoint()), fx.calls, TOPIC);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void theTopicReceivesExactlyTheBodyAsRawText() {
        String body = "{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r-1\",\"jobRequestId\":\"44046\",\"note\":\"é — 東京\"}";
        String id = publisher.publish("TRANSFER r-1", body);
        PublishedMessage received = fx.oci.notifications().messages(TOPIC).get(0);
        assertEquals(body, received.body());
        assertEquals("TRANSFER r-1", received.title());
        assertEquals("RAW_TEXT", received.messageType());
        assertEquals(id, received.messageId());
    }

    @Test
    void aMessageOverSixtyFourKilobytesIsRefusedWithoutACall() {
        long before = fx.oci.requests().size();
        PermanentException e = assertThrows(PermanentException.class, () -> publisher.publish("T", "x".repeat(65 * 1024)));
        assertTrue(e.getMessage().contains("65537") || e.getMessage().contains("over the 65536-byte limit"), e.getMessage());
        assertEquals(before, fx.oci.requests().size());
        assertTrue(fx.oci.notifications().messages().isEmpty());
    }

    @Test
    void aThrottledPublishIsRetried() {
        fx.oci.faults().next(OciOperation.PUBLISH_MESSAGE, OciFault.status(429, "TooManyRequests"));
        publisher.publish("T", "{}");
        assertEquals(1, fx.oci.notifications().messages(TOPIC).size());
        assertEquals(2, fx.oci.faults().calls(OciOperation.PUBLISH_MESSAGE));
    }

    @Test
    void anUnknownTopicIsAPermanentErrorNamingTheFix() {
        TopicPublisher wrong = new TopicPublisher(fx.clients.notifications(fx.oci.endpoint()), fx.calls, "ocid1.onstopic.oc1.iad.nope");
        PermanentException e = assertThrows(PermanentException.class, () -> wrong.publish("T", "{}"));
        assertTrue(e.getMessage().contains("use ons-topics"), e.getMessage());
    }
}
