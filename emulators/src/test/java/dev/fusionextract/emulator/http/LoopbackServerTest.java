package dev.fusionextract.emulator.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoopbackServerTest {

    @Test
    void serversAnswerWithoutWaitingForTheClientsDelayedAck() {
        try (LoopbackServer server = LoopbackServer.start(0, exchange -> exchange.sendResponseHeaders(204, -1))) {
            assertEquals("true", System.getProperty(LoopbackServer.NODELAY), "TCP_NODELAY on every accepted connection");
        }
    }
}
