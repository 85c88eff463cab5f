package dev.fusionextract.messages;

import dev.fusionextract.failure.InvalidRequestException;
import dev.fusionextract.ledger.RunState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageMessagesTest {

    @Test
    void eachMessageTypeRoundTrips() {
        StageMessage.Poll poll = new StageMessage.Poll("evt-1", JobSystem.DATA_INTEGRATION, "key-9", 3);
        assertEquals(poll, StageMessages.parse(StageMessages.toJson(poll), StageMessage.Poll.class));
        StageMessage.Transfer transfer = new StageMessage.Transfer("evt-1", "44046", 2, "file:3");
        assertEquals(transfer, StageMessages.parse(StageMessages.toJson(transfer), StageMessage.Transfer.class));
        StageMessage.Status status = new StageMessage.Status("evt-1", RunState.FAILED, "job ended ERROR");
        assertEquals(status, StageMessages.parse(StageMessages.toJson(status), StageMessage.Status.class));
        assertEquals("{\"v\":1,\"type\":\"POLL\",\"runId\":\"evt-1\",\"system\":\"DATA_INTEGRATION\",\"jobId\":\"key-9\",\"attempt\":3}",
                StageMessages.toJson(poll));
    }

    @Test
    void anotherVersionTypeOrShapeIsRefusedNamingEveryProblem() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> StageMessages.parse(
                "{\"v\":2,\"type\":\"TRANSFER\",\"runId\":\"../x\",\"jobId\":\"1\",\"attempt\":0,\"secret\":\"s\"}", StageMessage.Poll.class));
        assertEquals(6, e.problems().size(), e.getMessage());
        for (String expected : new String[]{"version 2 is not supported", "type must be POLL", "runId must be", "unknown field secret",
                "system must be one of", "attempt must be a whole number from 1"}) {
            assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
        }
    }

    @Test
    void nonJsonIsRefused() {
        assertThrows(InvalidRequestException.class, () -> StageMessages.parse("POLL evt-1", StageMessage.Poll.class));
        assertThrows(InvalidRequestException.class, () -> StageMessages.parse("[1]", StageMessage.Status.class));
    }
}
