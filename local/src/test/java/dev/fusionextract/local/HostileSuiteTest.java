package dev.fusionextract.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.fusion.ForeignZip;
import dev.fusionextract.emulator.fusion.JobStep;
import dev.fusionextract.emulator.fusion.OutputContent;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.emulator.oci.OciFault;
import dev.fusionextract.emulator.oci.OciOperation;
import dev.fusionextract.failure.Reasons;
import dev.fusionextract.ledger.RunRecord;
import dev.fusionextract.ledger.RunState;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import dev.fusionextract.testing.FusionFixture;
import dev.fusionextract.transfer.function.TransferFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static dev.fusionextract.testing.ChainFixture.CONTROL;
import static dev.fusionextract.testing.ChainFixture.LANDING;
import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.STATUS_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure contract under what a hostile user or a broken upstream does: bad request JSON, odd events, forged
 * stage messages, broken configuration, Fusion, IDCS and Object Storage faults, and ZIPs from other writers.
 * Every case, besides its own expectation, is held to the same rules: every delivery gets a normal answer (a
 * Throwable leaving a handler fails the case), the chain settles within a bound of deliveries on a manual clock,
 * no secret appears in a reply, the ledger, a message or a log line, a run that ended badly has a reason of at
 * most {@link Reasons#MAX_CHARS} characters and a STATUS message, and nothing is left in the landing bucket
 * (no object, no open upload) for a run that did not land.
 */
class HostileSuiteTest {

    private static final String EVENTS = "events";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final String FULL = "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}";
    private static final int BOUND = 400;
    /** How a reason tells a person what to do. */
    private static final java.util.regex.Pattern FIX = java.util.regex.Pattern.compile(
            "(?i)\\b(check|fix|send|look at|raise|rename|report|give|lower|set|start the extract again|run the extract again|find it)\\b");

    /** One hostile case: a name and what it does and expects. */
    record Case(String name, Scenario scenario) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Scenario {
        void run(World w) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsInAStateAPersonCanActOn(Case c) throws Exception {
        try (World w = world()) {
            c.scenario().run(w);
            w.holdsTheContract();
        }
    }

    /** A case's world; {@link HostileSuiteWithWorkersTest} runs every case with transfer workers. */
    World world() {
        return new World();
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        all.addAll(requests());
        all.addAll(events());
        all.addAll(messages());
        all.addAll(configuration());
        all.addAll(fusionAndIdcs());
        all.addAll(outputFiles());
        all.addAll(objectStorageAndLedger());
        return all.stream();
    }

    // ---- request JSON, sent directly (fn invoke, a scheduler) ----

    static List<Case> requests() {
        return List.of(
                rejected("requestThatIsNotJson", "nope", "not valid JSON"),
                rejected("requestThatIsEmpty", "", "must be a JSON object"),
                rejected("requestThatIsAnArray", "[1,2]", "must be a JSON object"),
                rejected("requestThatIsAString", "\"Suppliers\"", "must be a JSON object"),
                rejected("requestThatIsNull", "null", "must be a JSON object"),
                rejected("requestWithoutExtractName", "{\"mode\":\"FULL\"}", "extractName is required"),
                rejected("extractNameAsANumber", "{\"extractName\":123,\"mode\":\"FULL\"}", "extractName must be a string, got a number (123)"),
                rejected("extractNameAsAnObject", "{\"extractName\":{\"a\":1},\"mode\":\"FULL\"}", "extractName must be a string, got an object"),
                rejected("extractNameBlank", "{\"extractName\":\"   \",\"mode\":\"FULL\"}", "extractName is required"),
                rejected("extractNameWithTheDescriptionSeparator", "{\"extractName\":\"A::B\",\"mode\":\"FULL\"}", "extractName must be at most"),
                rejected("modeMissing", "{\"extractName\":\"Suppliers\"}", "mode must be FULL or INCREMENTAL"),
                rejected("modeUnknown", "{\"extractName\":\"Suppliers\",\"mode\":\"SOMETIMES\"}", "got \"SOMETIMES\""),
                rejected("modeAsANumber", "{\"extractName\":\"Suppliers\",\"mode\":1}", "mode must be the string FULL or INCREMENTAL"),
                rejected("landingPrefixAsAnObject", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"landingPrefix\":{\"a\":1}}",
                        "landingPrefix must be a string, got an object"),
                rejected("landingPrefixClimbingOut", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"landingPrefix\":\"a/../b\"}",
                        "landingPrefix must be folders"),
                rejected("landingPrefixAbsolute", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"landingPrefix\":\"/abs\"}",
                        "landingPrefix must be folders"),
                rejected("runIdWithTwoDots", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"nightly..2026\"}",
                        "runId must be 1 to 64"),
                rejected("runIdTooLong", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"" + "r".repeat(65) + "\"}",
                        "runId must be 1 to 64"),
                rejected("runIdAsANumber", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":7}", "runId must be a string"),
                rejected("unknownField", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"colour\":\"red\"}", "unknown field colour"),
                rejected("duplicateKeys", "{\"extractName\":\"A\",\"extractName\":\"Suppliers\",\"mode\":\"FULL\"}", "Duplicate field"),
                rejected("contentAfterTheDocument", FULL + " {\"extractName\":\"Other\"}", "not valid JSON"),
                rejected("recurrenceAsAString", "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"recurrence\":\"daily\"}",
                        "recurrence must be an object"),
                rejected("recurrenceWithAnUnreadableDate", recurrence("\"interval\":1,\"timeUnit\":\"DAY\",\"startDate\":\"01/02/2026\","
                        + "\"endDate\":\"2026-03-01\""), "must be a date like 2026-01-31"),
                rejected("recurrenceEndingBeforeItStarts", recurrence("\"interval\":1,\"timeUnit\":\"DAY\",\"startDate\":\"2026-03-01\","
                        + "\"endDate\":\"2026-01-01\""), "is before startDate"),
                rejected("recurrenceIntervalOutOfRange", recurrence("\"interval\":99999999999,\"timeUnit\":\"DAY\",\"startDate\":\"2026-01-01\","
                        + "\"endDate\":\"2026-03-01\""), "got 99999999999"),
                rejected("recurrenceWithoutInterval", recurrence("\"timeUnit\":\"DAY\",\"startDate\":\"2026-01-01\",\"endDate\":\"2026-03-01\""),
                        "recurrence.interval is required"),
                new Case("requestOver64KBIsRejectedOnceWithAShortReason", w -> {
                    String body = "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"note\":\"" + "x".repeat(65 * 1024) + "\"}";
                    w.invoke(body);
                    w.invoke(body);
                    assertEquals(2, w.runs().size(), "each direct request without a runId is its own run");
                    w.runs().forEach(r -> w.expect(r, RunState.REJECTED, "a request is at most 65536"));
                    w.fx.oci.notifications().messages(STATUS_TOPIC).forEach(m -> assertTrue(m.body().length() < 4 * 1024, "STATUS is small"));
                }),
                new Case("extractNameOf60KBIsCutInEveryReason", w -> {
                    w.invoke("{\"extractName\":\"" + "N".repeat(60 * 1024) + "\",\"mode\":\"FULL\",\"runId\":\"big-name\"}");
                    RunRecord run = w.run("big-name");
                    assertEquals(RunState.REJECTED, run.state());
                    assertTrue(run.reason().length() <= Reasons.MAX_CHARS, "reason cut to the documented length");
                }));
    }

    private static String recurrence(String fields) {
        return "{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"recurrence\":{" + fields + "}}";
    }

    private static Case rejected(String name, String body, String... reason) {
        return new Case(name, w -> {
            w.invoke(body);
            w.expect(w.onlyRun(), RunState.REJECTED, reason);
            assertTrue(w.fx.fusion.submissions().isEmpty(), "nothing was submitted to Fusion");
        });
    }

    // ---- OCI Events envelopes ----

    static List<Case> events() {
        return List.of(
                ignored("deleteObjectEvent", w -> w.fx.envelope("com.oraclecloud.objectstorage.deleteobject", CONTROL, "requests/a.json", "e1")),
                ignored("envelopeWithoutData", w -> "{\"cloudEventsVersion\":\"0.1\",\"eventType\":\"com.oraclecloud.objectstorage.createobject\"}"),
                ignored("eventForAnotherBucket", w -> w.fx.envelope("com.oraclecloud.objectstorage.createobject", "payroll", "requests/a.json", "e1")),
                ignored("objectOutsideTheRequestPrefix", w -> w.fx.envelope("com.oraclecloud.objectstorage.createobject", CONTROL, "runs/a.json", "e1")),
                ignored("folderMarkerUnderTheRequestPrefix", w -> w.fx.envelope("com.oraclecloud.objectstorage.createobject", CONTROL, "requests/", "e1")),
                ignored("resourceNameAsANumber", w -> "{\"cloudEventsVersion\":\"0.1\",\"eventType\":\"com.oraclecloud.objectstorage.createobject\","
                        + "\"data\":{\"resourceName\":42,\"additionalDetails\":{\"bucketName\":\"" + CONTROL + "\"}}}"),
                ignored("manifestEventWithoutDataIntegration", w -> w.fx.envelope("com.oraclecloud.objectstorage.createobject", LANDING,
                        "x/_manifest.json", "e1")),
                new Case("emptyRequestObject", w -> {
                    w.deliverEvent(w.fx.dropRequest("requests/empty.json", ""));
                    w.expect(w.onlyRun(), RunState.REJECTED, "must be a JSON object");
                }),
                new Case("requestObjectDeletedBeforeItIsRead", w -> {
                    w.deliverEvent(w.fx.envelope("com.oraclecloud.objectstorage.createobject", CONTROL, "requests/gone.json", "etag-1"));
                    w.expect(w.onlyRun(), RunState.REJECTED, "deleted before it could be read");
                }),
                new Case("requestObjectOver64KB", w -> {
                    w.deliverEvent(w.fx.dropRequest("requests/big.json", "{\"extractName\":\"" + "a".repeat(70_000) + "\"}"));
                    w.expect(w.onlyRun(), RunState.REJECTED, "a request is at most 65536");
                }),
                new Case("anOverwrittenRequestObjectIsANewRun", w -> {
                    w.fx.oci.objectStorage().put(CONTROL, "requests/r.json", FULL.getBytes(StandardCharsets.UTF_8));
                    String etag = w.fx.oci.objectStorage().object(CONTROL, "requests/r.json").orElseThrow().etag();
                    w.deliverEvent(w.fx.envelope("com.oraclecloud.objectstorage.updateobject", CONTROL, "requests/r.json", etag));
                    assertEquals(RunState.LANDED, w.onlyRun().state(), w.onlyRun().reason());
                }),
                new Case("sweepBodyWithOtherFieldsIsARequest", w -> {
                    w.invoke("{\"sweep\":true,\"extractName\":\"Suppliers\"}");
                    w.expect(w.onlyRun(), RunState.REJECTED, "unknown field sweep");
                }),
                new Case("manifestEventForAManifestNotWrittenByUs", w -> {
                    w.fx.withDataIntegration(List.of("SUCCESS"), null);
                    w.fx.oci.objectStorage().put(LANDING, "x/_manifest.json", "{\"runId\":\"../../etc\"}".getBytes(StandardCharsets.UTF_8));
                    JsonNode reply = w.deliverEvent(w.fx.createObjectEvent(LANDING, "x/_manifest.json"));
                    assertTrue(reply.path("error").asText().contains("names no valid runId"), reply.toString());
                    assertEquals(List.of(), w.runs());
                    w.fx.oci.objectStorage().objectNames(LANDING).forEach(n -> w.landingMayHold(n));
                }));
    }

    private static Case ignored(String name, java.util.function.Function<World, String> envelope) {
        return new Case(name, w -> {
            JsonNode reply = w.deliverEvent(envelope.apply(w));
            assertFalse(reply.path("ignored").asText().isEmpty(), reply.toString());
            assertEquals(List.of(), w.runs(), "no run for an event that is not a request");
        });
    }

    // ---- stage messages forged or broken ----

    static List<Case> messages() {
        String poll = "{\"v\":1,\"type\":\"POLL\",\"runId\":\"r-1\",\"system\":\"FUSION\",\"jobId\":\"44046\",\"attempt\":1}";
        String transfer = "{\"v\":1,\"type\":\"TRANSFER\",\"runId\":\"r-1\",\"jobRequestId\":\"44046\",\"attempt\":1}";
        return List.of(
                malformed("pollThatIsNotJson", POLL_TOPIC, "{\"v\":1,", "not valid JSON"),
                malformed("pollOfTheWrongType", POLL_TOPIC, transfer, "type must be POLL"),
                malformed("pollOfVersion2", POLL_TOPIC, poll.replace("\"v\":1", "\"v\":2"), "version 2 is not supported"),
                malformed("pollWithAPathInTheRunId", POLL_TOPIC, poll.replace("r-1", "../x"), "runId must be"),
                malformed("pollWithTwoDotsInTheRunId", POLL_TOPIC, poll.replace("r-1", "nightly..2026"), "runId must be"),
                malformed("pollAttemptZero", POLL_TOPIC, poll.replace("\"attempt\":1", "\"attempt\":0"), "got 0"),
                malformed("pollAttemptAtIntMax", POLL_TOPIC, poll.replace("\"attempt\":1", "\"attempt\":2147483647"), "got 2147483647"),
                malformed("pollAttemptAsAString", POLL_TOPIC, poll.replace("\"attempt\":1", "\"attempt\":\"1\""), "attempt must be a whole number"),
                malformed("pollAttemptAsAFraction", POLL_TOPIC, poll.replace("\"attempt\":1", "\"attempt\":1.5"), "got 1.5"),
                malformed("pollWithDuplicateKeys", POLL_TOPIC, poll.replace("\"v\":1,", "\"v\":1,\"v\":1,"), "Duplicate field"),
                malformed("pollWithContentAfterIt", POLL_TOPIC, poll + "{}", "not valid JSON"),
                malformed("pollWithAnUnknownField", POLL_TOPIC, poll.replace("\"v\":1,", "\"v\":1,\"x\":2,"), "unknown field x"),
                malformed("pollOfAnUnknownSystem", POLL_TOPIC, poll.replace("FUSION", "SAP"), "system must be one of"),
                malformed("pollWithASlashInTheJobId", POLL_TOPIC, poll.replace("44046", "a/b"), "jobId must be"),
                malformed("statusMessageSentToPoll", POLL_TOPIC, "{\"v\":1,\"type\":\"STATUS\",\"runId\":\"r-1\",\"state\":\"FAILED\"}",
                        "type must be POLL"),
                malformed("transferThatIsNotJson", TRANSFER_TOPIC, "<xml/>", "not valid JSON"),
                malformed("transferWithACursorAsANumber", TRANSFER_TOPIC, transfer.replace("}", ",\"cursor\":5}"), "cursor must be a string"),
                malformed("transferAttemptNegative", TRANSFER_TOPIC, transfer.replace("\"attempt\":1", "\"attempt\":-3"), "got -3"),
                malformed("transferAttemptPastTheMost", TRANSFER_TOPIC, transfer.replace("\"attempt\":1", "\"attempt\":100001"), "got 100001"),
                new Case("pollForARunNotInTheLedger", w -> {
                    JsonNode reply = w.deliver(POLL_TOPIC, poll);
                    assertTrue(reply.path("dropped").asText().contains("not in the ledger"), reply.toString());
                }),
                new Case("transferForARunNotYetTransferring", w -> {
                    w.invoke("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"early\"}", false);
                    JsonNode reply = JSON.readTree(w.chain().deliver(TRANSFER_TOPIC, transfer.replace("r-1", "early")).reply());
                    assertTrue(reply.path("dropped").asText().contains("not waiting for a transfer"), reply.toString());
                    assertTrue(w.fx.oci.objectStorage().objectNames(LANDING).isEmpty(), "nothing landed for a run not yet transferring");
                    w.drain();
                }));
    }

    private static Case malformed(String name, String topic, String body, String error) {
        return new Case(name, w -> {
            JsonNode reply = w.deliver(topic, body);
            assertTrue(reply.path("error").asText().contains(error), error + " in " + reply);
            assertEquals(List.of(), w.runs(), "nothing recorded for a malformed message");
        });
    }

    // ---- configuration: checked at start, every problem named with the key and an example ----

    static List<Case> configuration() {
        return List.of(
                misconfigured("landingPrefixClimbingOut", ConfigKey.Reader.SUBMIT, Map.of("LANDING_PREFIX", "../x"), "LANDING_PREFIX must be folders"),
                misconfigured("landingPrefixAbsolute", ConfigKey.Reader.SUBMIT, Map.of("LANDING_PREFIX", "/x"), "LANDING_PREFIX must be folders"),
                misconfigured("requestPrefixClimbingOut", ConfigKey.Reader.SUBMIT, Map.of("REQUEST_PREFIX", "in/../box/"), "REQUEST_PREFIX must be folders"),
                misconfigured("controlBucketNotABucketName", ConfigKey.Reader.POLL, Map.of("CONTROL_BUCKET", "my bucket!"), "CONTROL_BUCKET must be a bucket name"),
                misconfigured("landingBucketNotABucketName", ConfigKey.Reader.TRANSFER, Map.of("LANDING_BUCKET", "a/b"), "LANDING_BUCKET must be a bucket name"),
                misconfigured("idcsUrlWithTheTokenPath", ConfigKey.Reader.SUBMIT, Map.of("IDCS_URL", "https://idcs-1.identity.oraclecloud.com/oauth2/v1/token"),
                        "IDCS_URL must be the identity domain's base URL without a path"),
                misconfigured("fusionBaseUrlInPlainHttp", ConfigKey.Reader.POLL, Map.of("FUSION_BASE_URL", "http://fa-x.oraclecloud.com"),
                        "FUSION_BASE_URL must use https://"),
                misconfigured("uploadBuffersBeyondTheMemory", ConfigKey.Reader.TRANSFER, Map.of("UPLOAD_PART_SIZE_MIB", "1024",
                        "UPLOAD_PARTS_IN_FLIGHT", "32"), "UPLOAD_PART_SIZE_MIB x UPLOAD_PARTS_IN_FLIGHT"),
                misconfigured("pollMaxIntervalBelowTheInterval", ConfigKey.Reader.POLL, Map.of("POLL_MAX_INTERVAL_SECONDS", "5"),
                        "POLL_MAX_INTERVAL_SECONDS (5) must not be below"),
                misconfigured("dataIntegrationHalfConfigured", ConfigKey.Reader.SUBMIT, Map.of("DI_TASK_KEY", "t"), "go together"),
                misconfigured("topicWithoutItsEndpoint", ConfigKey.Reader.POLL, Map.of("STATUS_TOPIC_OCID", "ocid1.onstopic.oc1.iad.s",
                        "STATUS_TOPIC_ENDPOINT", ""), "STATUS_TOPIC_OCID and STATUS_TOPIC_ENDPOINT go together"),
                misconfigured("retryAttemptsNotANumber", ConfigKey.Reader.TRANSFER, Map.of("RETRY_MAX_ATTEMPTS", "lots"),
                        "RETRY_MAX_ATTEMPTS must be a whole number from 1 to 20, got \"lots\""));
    }

    private static Case misconfigured(String name, ConfigKey.Reader reader, Map<String, String> changes, String problem) {
        return new Case("config_" + name, w -> {
            Map<String, String> settings = new HashMap<>(w.fx.settings());
            changes.forEach((k, v) -> {
                if (v.isEmpty()) {
                    settings.remove(k);
                } else {
                    settings.put(k, v);
                }
            });
            Exception e = assertThrows(dev.fusionextract.config.ConfigException.class,
                    () -> Components.forFunction(ConfigSource.of(settings), reader, Map.of()));
            assertTrue(e.getMessage().contains(problem), problem + " in " + e.getMessage());
        });
    }

    // ---- Fusion and IDCS answering what no documentation promises ----

    static List<Case> fusionAndIdcs() {
        return List.of(
                failed("submitRefusedWithABodyEchoingTheSecret", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.answer(400, Map.of(),
                        "application/json", "{\"detail\":\"bad request from client_secret=" + FusionFixture.CLIENT_SECRET
                                + " Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\"}")), "HTTP 400", "malformed"),
                failed("submitForbidden", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.status(403)), "HTTP 403", "roles"),
                failed("submitNotFound", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.status(404)), "HTTP 404", "FUSION_BASE_URL"),
                failed("submitUnauthorizedEvenWithAFreshToken", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.unauthorized(), 5), "401"),
                failed("submitAnsweredWithALocationThatIsNotAUrl", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.answer(202,
                        Map.of("Location", "http://h/jobs/12 34"), "application/json", "{}")), "names no job id", "Scheduled Processes"),
                failed("submitAnsweredWithoutALocation", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.answer(202, Map.of(),
                        "application/json", "{}")), "sent no Location header"),
                failed("submitAnsweredWithALocationWithoutAnId", w -> w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.answer(201,
                        Map.of("Location", "https://h/api/saas-batch/jobscheduler/v1/jobRequests/"), "application/json", "{}")), "names no job id"),
                new Case("submitFailingWith500ForeverTimesOutThroughTheSweep", w -> {
                    w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.status(500), 1000);
                    w.fx.settings().put("RETRY_MAX_ATTEMPTS", "2");
                    w.fx.settings().put("MAX_RUN_MINUTES", "60");
                    RunRecord run = w.dropRequest(FULL);
                    assertEquals(RunState.REQUESTED, run.state(), "waits for redelivery while Fusion fails");
                    assertTrue(run.lastError().contains("HTTP 500"), run.lastError());
                    w.sweepAfter(Duration.ofMinutes(61));
                    w.expect(w.onlyRun(), RunState.TIMED_OUT, "never submitted", "MAX_RUN_MINUTES");
                    assertTrue(w.fx.fusion.submissions().isEmpty());
                }),
                landed("idcsSaysTheTokenLivesFor1e30Seconds", w -> w.fx.fusion.faults(Endpoint.TOKEN).add(Fault.answer(200, Map.of(),
                        "application/json", "{\"access_token\":\"opaque-token-one\",\"token_type\":\"Bearer\",\"expires_in\":1e30}"))),
                landed("idcsSaysTheTokenLivesForSoon", w -> w.fx.fusion.faults(Endpoint.TOKEN).add(Fault.answer(200, Map.of(),
                        "application/json", "{\"access_token\":\"opaque-token-two\",\"expires_in\":\"soon\"}"))),
                failed("idcsAnswersWithAnHtmlPage", w -> w.fx.fusion.faults(Endpoint.TOKEN).add(Fault.answer(200, Map.of(), "text/html",
                        "<html>login</html>")), "something other than JSON"),
                failed("idcsRefusesTheClient", w -> w.fx.fusion.faults(Endpoint.TOKEN).add(Fault.answer(401, Map.of(), "application/json",
                        "{\"error\":\"invalid_client\"}")), "invalid_client", "check clientId and clientSecret"),
                failed("idcsEchoesTheClientSecret", w -> w.fx.fusion.faults(Endpoint.TOKEN).add(Fault.answer(400, Map.of(), "application/json",
                        "{\"error\":\"invalid_request " + FusionFixture.CLIENT_SECRET + "\",\"error_description\":\"client_secret="
                                + FusionFixture.CLIENT_SECRET + "\"}")), "IDCS token request", "Check IDCS_URL"),
                failed("statusNotFound", w -> w.fx.fusion.faults(Endpoint.STATUS).add(Fault.status(404)), "HTTP 404", "job"),
                new Case("statusAnsweredWithHtmlUntilTheRunTimesOut", w -> {
                    w.fx.fusion.faults(Endpoint.STATUS).add(Fault.answer(200, Map.of(), "text/html", "<html>maintenance</html>"), 100_000);
                    w.fx.settings().put("MAX_RUN_MINUTES", "20");
                    RunRecord run = w.dropRequest(FULL);
                    if (!run.state().terminal()) {
                        w.sweepAfter(Duration.ofMinutes(21));
                    }
                    w.expect(w.onlyRun(), RunState.TIMED_OUT, "MAX_RUN_MINUTES=20");
                }),
                new Case("statusMessageEchoingTheTokenAndTheSecret", w -> {
                    w.fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script(List.of(JobStep.of("RUNNING"),
                            new JobStep("ERROR", "Failed for client " + FusionFixture.CLIENT_SECRET + " with header Authorization: Bearer SECRETTOKEN123456"))));
                    RunRecord run = w.dropRequest(FULL);
                    w.expect(run, RunState.FAILED, "ended ERROR", "Look at the job's log");
                    assertFalse(run.reason().contains("SECRETTOKEN123456"), run.reason());
                }),
                new Case("statusNeverHeardOfRunsUntilTheTimeLimit", w -> {
                    w.fx.settings().put("MAX_RUN_MINUTES", "15");
                    w.fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script("PONDERING"));
                    w.expect(w.dropRequest(FULL), RunState.TIMED_OUT, "still PONDERING", "MAX_RUN_MINUTES=15");
                }),
                failed("listingThatAlwaysSaysThereIsMore", w -> w.fx.fusion.faults(Endpoint.LIST_FILES).add(Fault.answer(200, Map.of(),
                        "application/json", "{\"items\":[{\"fileName\":\"a.zip\",\"fileSize\":1}],\"hasMore\":true}"), 10_000), "repeats itself"),
                failed("listingItemWithoutAFileName", w -> w.fx.fusion.faults(Endpoint.LIST_FILES).add(Fault.answer(200, Map.of(),
                        "application/json", "{\"items\":[{\"fileSize\":1}],\"hasMore\":false}")), "without a fileName"),
                failed("listingWithAMalformedChecksum", w -> w.fx.fusion.faults(Endpoint.LIST_FILES).add(Fault.answer(200, Map.of(),
                        "application/json", "{\"items\":[{\"fileName\":\"a.zip\",\"fileSize\":1,\"checksum\":\"sha-256=zzz\"}],\"hasMore\":false}")),
                        "malformed SHA-256"),
                failed("listingWithALinkThatIsNotAUrl", w -> w.fx.fusion.faults(Endpoint.LIST_FILES).add(Fault.answer(200, Map.of(),
                        "application/json", "{\"items\":[{\"fileName\":\"a.zip\",\"$context\":{\"links\":{\"enclosure\":{\"href\":\"http://x y/z\"}}}}],"
                                + "\"hasMore\":false}")), "not a valid URL"),
                failed("downloadLinkToAnotherHost", w -> w.fx.fusion.defineExtract(ExtractDefinition.named("Suppliers")
                        .enclosureBase(java.net.URI.create("https://evil.example.com"))), "Refused the download link", "evil.example.com"),
                failed("downloadShorterThanListed", w -> w.fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.answer(200, Map.of(),
                        "application/octet-stream", "PK"), 100), "could not be landed in 3 attempts", "ended after 2 of"),
                failed("downloadNotFound", w -> w.fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.status(404)), "HTTP 404"));
    }

    // ---- output files: what lands and what must not ----

    static List<Case> outputFiles() {
        List<Case> cases = new ArrayList<>(List.of(
                failed("outputCsvNamedZip", w -> w.outputs(OutputContent.ofBytes("44046_S_x_1.zip", "ID\n1\n".getBytes(StandardCharsets.UTF_8))),
                        "not a complete ZIP"),
                failed("outputEmptyFileNamedZip", w -> w.outputs(OutputContent.ofBytes("44046_S_x_1.zip", new byte[0])), "it is empty"),
                failed("outputTruncatedZip", w -> {
                    byte[] zip = ForeignZip.INFOZIP_ZIP64.bytes();
                    w.outputs(OutputContent.ofBytes("44046_S_x_1.zip", java.util.Arrays.copyOf(zip, zip.length / 2)));
                }, "was refused"),
                failed("outputHtmlErrorPageNamedZip", w -> w.outputs(OutputContent.ofBytes("44046_S_x_1.zip",
                        "<!DOCTYPE html><title>Error</title>".getBytes(StandardCharsets.UTF_8))), "was refused", "not a ZIP"),
                failed("outputWithAFlippedByteInADataDescriptorEntry", w -> {
                    byte[] zip = ForeignZip.PYTHON_STREAM_STORED.bytes();
                    int at = new String(zip, StandardCharsets.ISO_8859_1).indexOf("Order 7") + 2;
                    zip[at] ^= 1;
                    w.outputs(OutputContent.ofBytes("44046_S_x_1.zip", zip));
                }, "has CRC-32", "the file is damaged"),
                failed("outputEntryNamedLikeTheManifest", w -> w.outputs(OutputContent.ofBytes("44046_S_x_1.zip",
                        zipOf("sub/_MANIFEST.json", "{}"))), "a name the run writes itself"),
                failed("outputFileNamedLikeTheManifest", w -> w.outputs(OutputContent.ofBytes("_manifest.json", "{}".getBytes(StandardCharsets.UTF_8))),
                        "a name the run writes itself"),
                failed("outputEntryWithABackslash", w -> w.outputs(OutputContent.ofBytes("44046_S_x_1.zip", zipOf("a\\b.csv", "x"))),
                        "backslash"),
                failed("outputTwoFilesLandingAsOneObject", w -> w.outputs(OutputContent.ofBytes("44046_S_x_1.zip", zipOf("same.csv", "1")),
                        OutputContent.ofBytes("44046_S_x_2.zip", zipOf("same.csv", "2"))), "both land as"),
                landed("outputJdkZipWithExtendedTimestamps", w -> w.outputs(OutputContent.ofBytes("44046_S_jdk_1.zip", jdkZipWithTimes()))),
                new Case("outputEmptyZipLandsWithANote", w -> {
                    w.outputs(ForeignZip.EMPTY.asOutput("44046_S_empty_1.zip"));
                    RunRecord run = w.dropRequest(FULL);
                    assertEquals(RunState.LANDED, run.state(), run.reason());
                    assertTrue(w.manifest(run).path("files").get(0).path("note").asText().contains("no entries"));
                })));
        for (ForeignZip archive : ForeignZip.values()) {
            if (archive != ForeignZip.EMPTY) {
                cases.add(new Case("outputMadeBy_" + archive.file(), w -> {
                    w.outputs(archive.asOutput("44046_S_" + archive.file()));
                    RunRecord run = w.dropRequest(FULL);
                    assertEquals(RunState.LANDED, run.state(), run.reason());
                    assertEquals(archive.entries().size(), w.manifest(run).path("objects").size());
                    for (JsonNode object : w.manifest(run).path("objects")) {
                        ForeignZip.Entry entry = archive.entries().stream().filter(e -> e.name().equals(object.path("entry").asText()))
                                .findFirst().orElseThrow();
                        assertEquals(entry.crc32(), object.path("crc32").asText());
                        assertEquals(entry.size(), object.path("size").asLong());
                    }
                }));
            }
        }
        return cases;
    }

    // ---- Object Storage, Vault and the ledger misbehaving ----

    static List<Case> objectStorageAndLedger() {
        return List.of(
                new Case("ledgerRecordReplacedWithGarbageBeforeThePoll", w -> {
                    w.invoke("{\"extractName\":\"Suppliers\",\"mode\":\"FULL\",\"runId\":\"garbled\"}", false);
                    w.fx.oci.objectStorage().put(CONTROL, "runs/garbled.json", "{\"runId\":\"garbled\",\"state\":".getBytes(StandardCharsets.UTF_8));
                    w.drain();
                    w.expect(w.run("garbled"), RunState.FAILED, "not a readable run record", "kept as runs/garbled.json.corrupt");
                    assertTrue(w.fx.oci.objectStorage().object(CONTROL, "runs/garbled.json.corrupt").isPresent());
                }),
                new Case("ledgerRecordDeletedWhileTheFilesLand", w -> {
                    w.fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withChunks(3)));
                    w.fx.oci.objectStorage().onCreate(created -> {
                        if (created.bucket().equals(LANDING)) {
                            w.fx.oci.objectStorage().objectNames(CONTROL).stream().filter(n -> n.startsWith("runs/"))
                                    .forEach(n -> w.fx.oci.objectStorage().delete(CONTROL, n));
                        }
                    });
                    w.dropRequestOnly(FULL);
                    RunRecord run = w.onlyRun();
                    assertEquals(RunState.FAILED, run.state(), w.fx.log.text());
                    assertEquals(RunState.FAILED, run.state(), w.fx.log.text());
                    w.expect(run, RunState.FAILED, "is not in the ledger", "written anew");
                }),
                failed("vaultSecretMissing", w -> w.fx.oci.secrets().remove(FusionFixture.SECRET_OCID), FusionFixture.SECRET_OCID),
                failed("vaultSecretWithAnUnknownField", w -> w.fx.oci.secrets().put(FusionFixture.SECRET_OCID,
                        ("{\"clientId\":\"" + FusionFixture.CLIENT_ID + "\",\"clientSecret\":\"" + FusionFixture.CLIENT_SECRET
                                + "\",\"clientSecet\":\"typo\"}").getBytes(StandardCharsets.UTF_8)), "clientSecet"),
                failed("commitOfEveryUploadForbidden", w -> {
                    w.fx.settings().put("UPLOAD_PART_SIZE_MIB", "1");
                    w.fx.settings().put("ZIP_MAX_UNZIPPED_GIB", "9");
                    w.fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small().withChunks(1)
                            .withUncompressedBytes(8_000_000)));
                    w.fx.oci.faults().every(OciOperation.COMMIT_MULTIPART_UPLOAD, OciFault.status(403, "NotAuthorizedOrNotFound"));
                }, "403"),
                new Case("statusTopicDownWhenARunFails", w -> {
                    w.fx.fusion.faults(Endpoint.SUBMIT).add(Fault.status(403));
                    w.fx.oci.faults().every(OciOperation.PUBLISH_MESSAGE, OciFault.status(404, "NotAuthorizedOrNotFound"));
                    w.statusMayBeMissing = true;
                    w.deliverEvent(w.fx.dropRequest("requests/r.json", FULL));
                    w.expect(w.onlyRun(), RunState.FAILED, "HTTP 403");
                }),
                new Case("anUnexpectedErrorIsRetriedThenFailsTheRunWithItsOwnMessage", w -> {
                    w.pollPublisher = poll -> (topic, message) -> {
                        throw new NoSuchMethodError("org.apache.commons.io.file.attribute.FileTimes.fromUnixTime(long)");
                    };
                    w.statusMayBeMissing = true; // the same broken publisher would send it
                    w.dropRequestOnly(FULL);
                    RunRecord run = w.onlyRun();
                    w.expect(run, RunState.FAILED, "Unexpected error", "NoSuchMethodError", "FileTimes.fromUnixTime");
                    long failures = w.chain().to(POLL_TOPIC).stream().filter(d -> d.status() == 502).count();
                    assertEquals(2, failures, "two redeliveries, then the run ends: " + w.chain().to(POLL_TOPIC));
                }),
                new Case("notificationsThrottlingToOneMessageAMinuteDelaysTheHandOversButTheRunLands", w -> {
                    w.fx.oci.notifications().limitPublishing(1, w.fx.time);
                    w.fx.settings().put("DEADLINE_MARGIN_SECONDS", "310"); // one status check per invocation: a hand-over each time
                    w.fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").runsFor(Duration.ofMinutes(4)));
                    RunRecord run = w.dropRequest(FULL);
                    assertEquals(RunState.LANDED, run.state(), run.reason());
                    assertTrue(w.chain().delivered().stream().anyMatch(d -> d.status() == 502 && d.reply().contains("429")),
                            "some hand-over was refused with 429 and delivered again");
                    assertEquals(1, w.fx.fusion.submissions().size());
                }),
                new Case("anUnexpectedErrorThatPassesLetsTheRunLand", w -> {
                    int[] calls = {0};
                    w.pollPublisher = poll -> (topic, message) -> {
                        if (calls[0]++ == 0) {
                            throw new IllegalStateException("a bad moment");
                        }
                        return poll.publishToTopic(topic, message);
                    };
                    assertEquals(RunState.LANDED, w.dropRequest(FULL).state());
                }));
    }

    // ---- case shapes ----

    private static Case failed(String name, Scenario setup, String... reason) {
        return new Case(name, w -> {
            setup.run(w);
            RunRecord run = w.dropRequest(FULL);
            w.expect(run, RunState.FAILED, reason);
        });
    }

    private static Case landed(String name, Scenario setup) {
        return new Case(name, w -> {
            setup.run(w);
            RunRecord run = w.dropRequest(FULL);
            assertEquals(RunState.LANDED, run.state(), run.reason());
        });
    }

    private static byte[] zipOf(String entry, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] jdkZipWithTimes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry("timed/a.csv");
            entry.setLastModifiedTime(java.nio.file.attribute.FileTime.fromMillis(1_768_471_200_000L));
            entry.setCreationTime(java.nio.file.attribute.FileTime.fromMillis(1_768_400_000_000L));
            zip.putNextEntry(entry);
            zip.write("ID\n1\n2\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** One case's world: both emulators, the three functions chained as OCI chains them, a manual clock. */
    static final class World implements AutoCloseable {
        final ChainFixture fx = new ChainFixture();
        private Deliveries chain;
        java.util.function.Function<Components, Components.Publisher> pollPublisher;
        boolean statusMayBeMissing;
        private final List<String> landingAllowed = new ArrayList<>();

        World() {
            fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").script("ENQUEUED", "RUNNING", "SUCCEEDED"));
        }

        Deliveries chain() {
            if (chain == null) {
                Components poll = fx.components(ConfigKey.Reader.POLL);
                if (pollPublisher != null) {
                    poll.publishingTo(pollPublisher.apply(poll));
                }
                chain = new Deliveries(fx)
                        .route(EVENTS, SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT))::handleRequest)
                        .route(POLL_TOPIC, PollFunction.with(poll)::handleRequest)
                        .route(TRANSFER_TOPIC, TransferFunction.with(fx.components(ConfigKey.Reader.TRANSFER))::handleRequest);
            }
            return chain;
        }

        void outputs(OutputContent... files) {
            fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.none()).extraFiles(List.of(files)));
        }

        JsonNode invoke(String body) throws IOException {
            return invoke(body, true);
        }

        JsonNode invoke(String body, boolean drain) throws IOException {
            Deliveries.Delivery delivery = chain().deliver(EVENTS, body);
            if (drain) {
                drain();
            }
            return JSON.readTree(delivery.reply());
        }

        JsonNode deliverEvent(String envelope) throws IOException {
            return invoke(envelope, true);
        }

        JsonNode deliver(String topic, String body) throws IOException {
            Deliveries.Delivery delivery = chain().deliver(topic, body);
            drain();
            return JSON.readTree(delivery.reply());
        }

        void drain() {
            chain().drain(BOUND);
        }

        /** Drops a request object, delivers its event, lets the chain settle, and returns the one run. */
        RunRecord dropRequest(String json) throws IOException {
            dropRequestOnly(json);
            return onlyRun();
        }

        void dropRequestOnly(String json) throws IOException {
            deliverEvent(fx.dropRequest("requests/r.json", json));
        }

        void sweepAfter(Duration wait) throws IOException {
            fx.time.advance(wait);
            invoke("{\"sweep\":true}");
        }

        List<RunRecord> runs() {
            List<RunRecord> runs = new ArrayList<>();
            for (String name : fx.oci.objectStorage().objectNames(CONTROL)) {
                if (name.startsWith("runs/") && name.endsWith(".json")) {
                    runs.add(read(name));
                }
            }
            return runs;
        }

        RunRecord onlyRun() {
            List<RunRecord> runs = runs();
            assertEquals(1, runs.size(), "one run: " + runs);
            return runs.get(0);
        }

        RunRecord run(String runId) {
            return read("runs/" + runId + ".json");
        }

        private RunRecord read(String name) {
            try {
                return JSON.readValue(fx.oci.objectStorage().object(CONTROL, name).orElseThrow().content(), RunRecord.class);
            } catch (IOException e) {
                throw new UncheckedIOException(name, e);
            }
        }

        JsonNode manifest(RunRecord run) throws IOException {
            String manifest = fx.oci.objectStorage().objectNames(LANDING).stream().filter(n -> n.endsWith("_manifest.json")).findFirst().orElseThrow();
            return JSON.readTree(fx.oci.objectStorage().object(LANDING, manifest).orElseThrow().content());
        }

        void landingMayHold(String object) {
            landingAllowed.add(object);
        }

        /** The run is in {@code state} with a reason that says each of {@code fragments}. */
        void expect(RunRecord run, RunState state, String... fragments) {
            assertEquals(state, run.state(), "state; reason: " + run.reason());
            assertNotNull(run.reason(), "a reason");
            for (String fragment : fragments) {
                assertTrue(run.reason().contains(fragment), "\"" + fragment + "\" in the reason: " + run.reason());
            }
        }

        /** The rules every case is held to, whatever it tested. */
        void holdsTheContract() throws IOException {
            List<Deliveries.Delivery> delivered = chain == null ? List.of() : chain.delivered();
            for (Deliveries.Delivery d : delivered) {
                JsonNode reply = JSON.readTree(d.reply());
                assertTrue(reply != null && reply.isObject(), "a normal JSON answer: " + d.reply());
            }
            StringBuilder everything = new StringBuilder(fx.log.text());
            delivered.forEach(d -> everything.append(d.reply()));
            fx.oci.notifications().messages().forEach(m -> everything.append(m.body()));
            for (String name : fx.oci.objectStorage().objectNames(CONTROL)) {
                everything.append(new String(fx.oci.objectStorage().object(CONTROL, name).orElseThrow().content(), StandardCharsets.UTF_8));
            }
            for (String secret : fx.secretValues()) {
                assertFalse(everything.toString().contains(secret), "a secret reached a reply, the ledger, a message or a log line");
            }
            assertFalse(everything.toString().contains("SECRETTOKEN123456"), "a token-shaped value was echoed");
            assertEquals(List.of(), fx.oci.objectStorage().openUploads(LANDING), "no open multipart upload");
            List<RunRecord> runs = runs();
            boolean anyLanded = runs.stream().anyMatch(r -> r.state() == RunState.LANDED || r.state() == RunState.LOADED);
            if (!anyLanded) {
                List<String> left = new ArrayList<>(fx.oci.objectStorage().objectNames(LANDING));
                left.removeAll(landingAllowed);
                assertEquals(List.of(), left, "nothing left in the landing bucket for a run that did not land");
            }
            for (RunRecord run : runs) {
                if (run.state() == RunState.FAILED || run.state() == RunState.TIMED_OUT || run.state() == RunState.REJECTED) {
                    assertTrue(run.reason() != null && !run.reason().isBlank() && run.reason().length() <= Reasons.MAX_CHARS, run.reason());
                    assertTrue(FIX.matcher(run.reason()).find(), "the reason says what to do: " + run.reason());
                    if (!statusMayBeMissing) {
                        assertTrue(fx.oci.notifications().messages(STATUS_TOPIC).stream().map(m -> m.body())
                                .anyMatch(b -> b.contains("\"runId\":\"" + run.runId() + "\"") && b.contains("\"state\":\"" + run.state() + "\"")),
                                "STATUS told of run " + run.runId());
                    }
                }
            }
            fx.oci.notifications().messages().forEach(m -> assertTrue(m.body().length() < 64 * 1024, "a message under 64 KB"));
            assertTrue(Objects.nonNull(fx.time.instant()));
        }

        @Override
        public void close() {
            fx.close();
        }
    }
}
