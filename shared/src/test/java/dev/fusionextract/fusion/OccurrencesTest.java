package dev.fusionextract.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.OccurrenceShape;
import dev.fusionextract.testing.FusionFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding a recurring job's occurrences in the job requests list, in each shape public code has seen. */
class OccurrencesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FusionFixture fx = new FusionFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static JsonNode item(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void everyKnownShapeNamesItsParentAndNothingElseDoes() throws Exception {
        assertTrue(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":9,\"jobRequest\":{\"requestParameters\":{\"parentRequest\":\"44046\"}}}"), "44046"));
        assertTrue(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":9,\"jobRequest\":{\"requestParameters\":{\"parentRequest\":44046}}}"), "44046"),
                "a number as well as a string");
        assertTrue(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":9,\"jobRequest\":{\"clientRequestUuid\":\"44046,5f1c\"}}"), "44046"));
        assertTrue(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":9,\"requestParameters\":{\"requestExecutionContext\":\"44046,3\"}}"), "44046"));
        assertTrue(Occurrences.isOccurrenceOf(item("{\"jobDetails\":{\"jobRequestId\":9,\"jobRequest\":{\"requestParameters\":"
                + "{\"parentRequest\":\"44046\"}}}}"), "44046"), "under jobDetails, as a status answer nests it");
        assertFalse(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":9,\"jobRequest\":{\"clientRequestUuid\":\"440461,5f1c\"}}"), "44046"),
                "a prefix of another id is not the id");
        assertFalse(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":9,\"jobRequest\":{\"requestParameters\":{\"parentRequest\":\"1\"}}}"), "44046"));
        assertFalse(Occurrences.isOccurrenceOf(item("{\"jobRequestId\":44046}"), "44046"));
        assertEquals("9", Occurrences.jobRequestId(item("{\"jobDetails\":{\"jobRequestId\":9}}")).orElseThrow());
        assertEquals("SUCCEEDED", Occurrences.status(item("{\"jobDetails\":{\"jobProgress\":{\"status\":\"SUCCEEDED\"}}}")));
    }

    @Test
    void theSimulatorsRecurringJobIsFoundThroughManyPagesInEachShape() {
        for (OccurrenceShape shape : OccurrenceShape.values()) {
            fx.fusion.defineExtract(ExtractDefinition.named("E-" + shape).occurrences(shape, Duration.ofMinutes(5)));
            LocalDate today = LocalDate.ofInstant(fx.time.instant(), ZoneOffset.UTC);
            JobRequestId parent = fx.client().submit(ExtractJob.recurring("E-" + shape, ExtractMode.INCREMENTAL,
                    Recurrence.of(15, Recurrence.Unit.MINUTE, today, today.plusDays(1), null, null)));
            fx.time.advance(Duration.ofMinutes(61)); // four occurrences, the last still running
            fx.fusion.maxPageSize(2);
            // other jobs, so that the occurrences are spread over pages
            for (int i = 0; i < 3; i++) {
                fx.client().submit(ExtractJob.immediate("E-" + shape, ExtractMode.FULL));
            }
            Occurrences.Found found = Occurrences.of(fx.client(), parent, () -> true);
            assertTrue(found.complete());
            List<Occurrences.Occurrence> occurrences = found.occurrences();
            assertEquals(4, occurrences.size(), shape + ": " + occurrences);
            assertEquals(3, occurrences.stream().filter(o -> o.state() == JobState.SUCCEEDED).count(), occurrences.toString());
            assertEquals(1, occurrences.stream().filter(o -> o.state() == JobState.RUNNING).count(), occurrences.toString());
            fx.fusion.maxPageSize(25);
        }
    }

    @Test
    void aListingThatOutlastsTheBudgetSaysItIsIncomplete() {
        fx.fusion.defineExtract(ExtractDefinition.named("E"));
        JobRequestId parent = fx.client().submit(ExtractJob.immediate("E", ExtractMode.FULL));
        fx.client().submit(ExtractJob.immediate("E", ExtractMode.FULL));
        assertFalse(Occurrences.of(fx.client(), parent, () -> false).complete());
    }
}
