package dev.fusionextract.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.events.ObjectEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheObjectStorageEventOciEventsDelivers() throws Exception {
        var envelope = JSON.readTree("""
                {"eventType":"com.oraclecloud.objectstorage.createobject","cloudEventsVersion":"0.1","eventTypeVersion":"2.0",
                 "source":"ObjectStorage","eventID":"6c6ba9a6-0a0c-4a37-b1c8-2a0f1e1d3b10","eventTime":"2026-01-15T08:00:00Z",
                 "contentType":"application/json","extensions":{"compartmentId":"ocid1.compartment.oc1..c"},
                 "data":{"compartmentId":"ocid1.compartment.oc1..c","compartmentName":"etl","resourceName":"requests/s.json",
                         "resourceId":"/n/ns/b/control/o/requests/s.json","availabilityDomain":"AD1",
                         "additionalDetails":{"bucketName":"control","namespace":"ns","bucketId":"ocid1.bucket.oc1..b",
                                              "eTag":"0f4e5c1a-2b3d","archivalState":"Available"}}}""");
        assertTrue(ObjectEvent.isEnvelope(envelope));
        ObjectEvent event = ObjectEvent.from(envelope).orElseThrow();
        assertEquals(new ObjectEvent(ObjectEvent.CREATE_OBJECT, "6c6ba9a6-0a0c-4a37-b1c8-2a0f1e1d3b10", "ns", "control",
                "requests/s.json", "0f4e5c1a-2b3d"), event);
        assertTrue(event.isCreate());
    }

    @Test
    void aRequestBodyIsNotAnEnvelope() throws Exception {
        assertFalse(ObjectEvent.isEnvelope(JSON.readTree("{\"extractName\":\"S\",\"mode\":\"FULL\",\"eventType\":\"x\"}")));
        assertFalse(ObjectEvent.isEnvelope(null));
        assertTrue(ObjectEvent.from(JSON.readTree("{\"cloudEventsVersion\":\"0.1\",\"eventType\":\"x\",\"data\":{}}")).isEmpty());
    }
}
