package dev.fusionextract.fusion;

import dev.fusionextract.emulator.fusion.Endpoint;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.Fault;
import dev.fusionextract.failure.ExtractException;
import dev.fusionextract.testing.FusionFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole run with faults and failures: every log line and every error message is searched for every secret. */
class NoSecretsInLogsTest {

    private final FusionFixture fx = new FusionFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void noCredentialTokenOrPasswordReachesTheLogOrAnErrorMessage() throws Exception {
        fx.storeSecret("{\"clientId\":\"" + FusionFixture.CLIENT_ID + "\",\"clientSecret\":\"" + FusionFixture.CLIENT_SECRET
                + "\",\"username\":\"" + FusionFixture.USERNAME + "\",\"password\":\"" + FusionFixture.PASSWORD + "\"}");
        fx.fusion.defineExtract(ExtractDefinition.named("E"));
        List<String> errors = new ArrayList<>();
        FusionBatchClient client = fx.client();

        fx.fusion.faults(Endpoint.SUBMIT).add(Fault.tooManyRequests(Duration.ofSeconds(1)));
        JobRequestId id = client.submit(ExtractJob.immediate("E", ExtractMode.FULL));
        fx.fusion.faults(Endpoint.STATUS).add(Fault.unauthorized()).add(Fault.status(503));
        while (!client.status(id).terminal()) {
            fx.fusion.idcs().expireAllTokens();
        }
        fx.fusion.faults(Endpoint.DOWNLOAD).add(Fault.dropAfter(500));
        for (OutputFile file : client.outputFiles(id)) {
            try (InputStream in = client.download(file)) {
                in.readAllBytes();
            }
        }
        fx.fusion.faults(Endpoint.STATUS).add(Fault.unauthorized(), 2);
        try {
            client.status(id);
        } catch (ExtractException e) {
            errors.add(e.getMessage());
        }
        fx.storeSecret("{\"clientId\":\"" + FusionFixture.CLIENT_ID + "\",\"clientSecret\":\"wrong-" + FusionFixture.CLIENT_SECRET + "\"}");
        try {
            fx.client().submit(ExtractJob.immediate("E", ExtractMode.FULL));
        } catch (ExtractException e) {
            errors.add(e.getMessage());
        }

        String everything = fx.log.text() + "\n" + String.join("\n", errors);
        assertTrue(fx.log.lines().size() >= 3, "the run logged retries and resumes:\n" + fx.log.text());
        assertTrue(errors.size() == 2, errors.toString());
        List<String> secrets = fx.secretValues();
        assertTrue(secrets.size() >= 4, "tokens were issued: " + secrets.size());
        for (String secret : secrets) {
            assertFalse(everything.contains(secret), "a secret value leaked into logs or errors");
        }
        assertFalse(everything.contains("Bearer sim."), "an Authorization header leaked");
    }
}
