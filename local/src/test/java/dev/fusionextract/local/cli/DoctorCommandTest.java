package dev.fusionextract.local.cli;

import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.emulator.oci.PublishedMessage;
import dev.fusionextract.local.LocalStack;
import dev.fusionextract.poll.PollService;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.pipeline.Reply;
import dev.fusionextract.transfer.function.TransferService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fusion-extract doctor} against the emulators over real sockets: a healthy deployment passes every check, and
 * each check, broken on its own, fails with a line that names the thing and the fix, and the exit code says so.
 */
class DoctorCommandTest {

    private static final String WORKSPACE = "ocid1.disworkspace.oc1..local";
    private static final String APPLICATION = "app-key";
    private static final String TASK = "task-key";

    @TempDir
    Path dir;
    private LocalStack stack;

    private record Result(int exit, String out, String err) {
        /** The report line of one check. */
        String line(String what) {
            return out.lines().filter(l -> l.substring(2).startsWith(what + ":")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + what + " in\n" + out));
        }
    }

    @BeforeEach
    void stack() throws Exception {
        stack = new LocalStack(dir.resolve("stack"));
        stack.oci.dataIntegration().defineTask(WORKSPACE, APPLICATION, TASK, List.of("SUCCESS"), null);
        stack.settings().put("DI_WORKSPACE_OCID", WORKSPACE);
        stack.settings().put("DI_APPLICATION_KEY", APPLICATION);
        stack.settings().put("DI_TASK_KEY", TASK);
    }

    @AfterEach
    void close() {
        stack.close();
    }

    private Result doctor(String... extra) throws Exception {
        Path config = stack.writeConfig();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FusionExtract.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new java.util.ArrayList<>(List.of("doctor", "--config", config.toString(), "--log", dir.resolve("doctor.log").toString()));
        args.addAll(List.of(extra));
        int exit = cli.execute(args.toArray(String[]::new));
        String printed = out.toString() + err;
        for (String secret : stack.secrets()) {
            assertFalse(printed.contains(secret), "a credential was printed");
            assertFalse(Files.readString(dir.resolve("doctor.log")).contains(secret), "a credential was logged");
        }
        return new Result(exit, out.toString(), err.toString());
    }

    private Result brokenBy(Consumer<LocalStack> breakIt, String check, String... expected) throws Exception {
        breakIt.accept(stack);
        Result result = doctor();
        assertEquals(1, result.exit(), result.out());
        String line = result.line(check);
        assertTrue(line.startsWith("✗ "), line);
        for (String text : expected) {
            assertTrue(line.contains(text), "'" + text + "' in " + line);
        }
        assertTrue(result.out().contains("checks failed"), result.out());
        return result;
    }

    @Test
    void aHealthyDeploymentPassesEveryCheckAndTheFunctionsAnswerTheTestMessage() throws Exception {
        Result result = doctor();
        assertEquals(0, result.exit(), result.out() + result.err());
        for (String check : List.of("configuration", "OCI authentication", "Vault secret", "IDCS token", "Fusion batch API", "control bucket",
                "landing bucket", "POLL topic", "TRANSFER topic", "STATUS topic", "Data Integration task")) {
            assertTrue(result.line(check).startsWith("✔ "), result.line(check));
        }
        assertTrue(result.out().contains("all 11 checks passed"), result.out());
        assertTrue(result.line("STATUS topic").contains("--ping-status"), "STATUS subscribers get nothing unasked");
        assertTrue(stack.oci.notifications().messages(LocalStack.STATUS_TOPIC).isEmpty());

        PublishedMessage poll = stack.oci.notifications().messages(LocalStack.POLL_TOPIC).get(0);
        PublishedMessage transfer = stack.oci.notifications().messages(LocalStack.TRANSFER_TOPIC).get(0);
        Instant deadline = Instant.now().plusSeconds(60);
        Reply pollReply = new PollService(stack.components(ConfigKey.Reader.POLL)).handle(poll.body().getBytes(StandardCharsets.UTF_8), deadline);
        Reply transferReply = new TransferService(stack.components(ConfigKey.Reader.TRANSFER))
                .handle(transfer.body().getBytes(StandardCharsets.UTF_8), deadline);
        assertEquals(Reply.Outcome.DONE, pollReply.outcome());
        assertEquals("received by poll-function", pollReply.body().path("ping").asText());
        assertEquals("received by transfer-function", transferReply.body().path("ping").asText());
        assertTrue(stack.oci.objectStorage().objectNames(LocalStack.CONTROL).isEmpty(), "a ping touches no ledger");
        assertTrue(Files.readString(stack.work.resolve("functions.log")).contains("doctor ping received"));
    }

    @Test
    void pingStatusSendsTheStatusTopicATestMessage() throws Exception {
        Result result = doctor("--ping-status");
        assertEquals(0, result.exit(), result.out());
        assertTrue(result.line("STATUS topic").contains("accepted a test message"), result.line("STATUS topic"));
        assertEquals(1, stack.oci.notifications().messages(LocalStack.STATUS_TOPIC).size());
    }

    @Test
    void aMisspelledKeyOrABadValueFailsTheConfiguration() throws Exception {
        brokenBy(s -> s.settings().put("POLL_INTERVAL_SECOND", "5"), "configuration", "unknown key POLL_INTERVAL_SECOND", "spelling");
        stack.settings().remove("POLL_INTERVAL_SECOND");
        brokenBy(s -> s.settings().put("MAX_RUN_MINUTES", "soon"), "configuration", "MAX_RUN_MINUTES", "submit-function", "poll-function");
    }

    @Test
    void aMissingRequiredKeyStopsTheChecksThatNeedIt() throws Exception {
        Result result = brokenBy(s -> s.settings().remove("IDCS_SECRET_OCID"), "configuration", "IDCS_SECRET_OCID");
        assertTrue(result.line("Vault secret").contains("not checked"), result.line("Vault secret"));
        assertTrue(result.line("control bucket").startsWith("✔ "), "what does not need the key is still checked");
    }

    @Test
    void anUnreadableOrIncompleteSecretFails() throws Exception {
        brokenBy(s -> s.settings().put("IDCS_SECRET_OCID", "ocid1.vaultsecret.oc1.local.other"), "Vault secret",
                "ocid1.vaultsecret.oc1.local.other", "read secret-bundles");
        assertTrue(doctor().line("IDCS token").contains("not checked"));
        stack.settings().put("IDCS_SECRET_OCID", LocalStack.SECRET);
        brokenBy(s -> s.oci.secrets().put(LocalStack.SECRET, "{\"clientId\":\"x\"}".getBytes(StandardCharsets.UTF_8)), "Vault secret",
                "clientSecret is missing");
    }

    @Test
    void aSecretWithoutAScopeAndNoScopeKeyFails() throws Exception {
        brokenBy(s -> s.oci.secrets().put(LocalStack.SECRET, "{\"clientId\":\"a\",\"clientSecret\":\"cs-00112233445566778899aabbccddeeff\"}"
                .getBytes(StandardCharsets.UTF_8)), "Vault secret", "no scope", "FUSION_SCOPE");
    }

    @Test
    void aClientIdcsRefusesFailsTheTokenCheck() throws Exception {
        brokenBy(s -> s.oci.secrets().put(LocalStack.SECRET, ("{\"clientId\":\"stranger\",\"clientSecret\":\"cs-00112233445566778899aabbccddeeff\","
                + "\"scope\":\"" + s.fusion.batchScope() + "\"}").getBytes(StandardCharsets.UTF_8)), "IDCS token", "invalid_client", "clientId and clientSecret");
    }

    @Test
    void aPodThatRefusesTheBatchApiFails() throws Exception {
        brokenBy(s -> s.fusion.faults(Endpoint.LIST_JOBS).add(Fault.status(403), 2), "Fusion batch API", "403");
    }

    @Test
    void aMissingBucketOrOneWithoutObjectEventsFails() throws Exception {
        brokenBy(s -> s.settings().put("LANDING_BUCKET", "no-such-bucket"), "landing bucket", "no-such-bucket", "404");
        stack.settings().put("LANDING_BUCKET", LocalStack.LANDING);
        brokenBy(s -> s.oci.objectStorage().objectEvents(LocalStack.CONTROL, false), "control bucket", "object events are off",
                "object_events_enabled");
    }

    @Test
    void landingEventsMatterOnlyWithDataIntegration() throws Exception {
        brokenBy(s -> s.oci.objectStorage().objectEvents(LocalStack.LANDING, false), "landing bucket", "object events are off");
        for (String key : List.of("DI_WORKSPACE_OCID", "DI_APPLICATION_KEY", "DI_TASK_KEY")) {
            stack.settings().remove(key);
        }
        Result result = doctor();
        assertEquals(0, result.exit(), result.out());
        assertTrue(result.line("landing bucket").contains("object events off (needed only with Data Integration)"));
        assertTrue(result.line("Data Integration task").contains("not configured"));
    }

    @Test
    void aTopicThatDoesNotExistFails() throws Exception {
        brokenBy(s -> s.settings().put("TRANSFER_TOPIC_OCID", "ocid1.onstopic.oc1.local.gone"), "TRANSFER topic",
                "ocid1.onstopic.oc1.local.gone", "404");
    }

    @Test
    void aTaskNotPublishedInTheApplicationFails() throws Exception {
        brokenBy(s -> s.settings().put("DI_TASK_KEY", "other-task"), "Data Integration task", "other-task", "404", "DI_TASK_KEY");
    }

    @Test
    void anOciProfileThatCannotBeUsedFailsAuthenticationAndNamesIt() throws Exception {
        Result result = brokenBy(s -> s.settings().put("OCI_CONFIG_PROFILE", "NOPE"), "OCI authentication", "NOPE", "oci setup config");
        assertTrue(result.line("control bucket").contains("not checked"));
    }
}
