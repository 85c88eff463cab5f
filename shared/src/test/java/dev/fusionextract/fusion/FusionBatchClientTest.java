package dev.fusionextract.fusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionextract.emulator.fusion.ExtractDefinition;
import dev.fusionextract.emulator.fusion.OutputSpec;
import dev.fusionextract.testing.FusionFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusionBatchClientTest {

    private final FusionFixture fx = new FusionFixture();
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void submitsPollsListsAndDownloadsAJobEndToEnd() throws Exception {
        fx.fusion.defineExtract(ExtractDefinition.named("Suppliers").output(OutputSpec.small()));
        FusionBatchClient client = fx.client();

        JobRequestId id = client.submit(ExtractJob.immediate("Suppliers", ExtractMode.FULL));
        JobStatus status;
        do {
            status = client.status(id);
        } while (!status.terminal());
        assertEquals(JobState.SUCCEEDED, status.state());

        List<OutputFile> files = client.outputFiles(id);
        assertEquals(3, files.size());
        for (OutputFile file : files) {
            try (InputStream in = client.download(file)) {
                byte[] bytes = in.readAllBytes();
                assertEquals(file.size(), bytes.length);
                assertEquals(file.sha256Hex().orElseThrow(), sha256(bytes));
            }
        }
        JsonNode sent = fx.fusion.submissions().get(0);
        assertEquals("Suppliers", sent.path("requestParameters").path("submit.argument1").asText());
        assertTrue(fx.fusion.idcs().tokensIssued() == 1);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
