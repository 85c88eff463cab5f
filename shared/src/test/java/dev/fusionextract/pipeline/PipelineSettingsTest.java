package dev.fusionextract.pipeline;

import dev.fusionextract.config.ConfigException;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineSettingsTest {

    private static Map<String, String> poll() {
        Map<String, String> values = new HashMap<>();
        values.put("POLL_TOPIC_OCID", "ocid1.onstopic.oc1.iad.p");
        values.put("POLL_TOPIC_ENDPOINT", "https://cell1.notification.us-ashburn-1.oci.oraclecloud.com");
        values.put("TRANSFER_TOPIC_OCID", "ocid1.onstopic.oc1.iad.t");
        values.put("TRANSFER_TOPIC_ENDPOINT", "https://cell1.notification.us-ashburn-1.oci.oraclecloud.com");
        return values;
    }

    @Test
    void eachComponentReadsOnlyItsOwnKeys() {
        PipelineSettings settings = PipelineSettings.load(ConfigSource.of(poll()), ConfigKey.Reader.POLL);
        assertEquals(Duration.ofMinutes(720), settings.maxRun());
        assertEquals(Duration.ofSeconds(15), settings.pollInterval());
        assertTrue(settings.landingBucket().isEmpty(), "poll-function does not read LANDING_BUCKET");
        assertTrue(settings.statusTopic().isEmpty() && settings.dataIntegration().isEmpty());
        ConfigException e = assertThrows(ConfigException.class, () -> PipelineSettings.load(ConfigSource.of(Map.of()), ConfigKey.Reader.SUBMIT));
        // LANDING_BUCKET, POLL_TOPIC_OCID, POLL_TOPIC_ENDPOINT, and the TRANSFER topic's two keys (the sweep re-sends TRANSFER)
        assertEquals(5, e.problems().size(), e.getMessage());
    }

    @Test
    void aTopicNeedsItsEndpointAndDataIntegrationNeedsAllThreeKeys() {
        Map<String, String> values = poll();
        values.put("STATUS_TOPIC_OCID", "ocid1.onstopic.oc1.iad.s");
        values.put("DI_TASK_KEY", "task");
        values.put("POLL_MAX_INTERVAL_SECONDS", "5");
        ConfigException e = assertThrows(ConfigException.class, () -> PipelineSettings.load(ConfigSource.of(values), ConfigKey.Reader.POLL));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("STATUS_TOPIC_OCID and STATUS_TOPIC_ENDPOINT go together"));
        assertTrue(e.getMessage().contains("DI_WORKSPACE_OCID, DI_APPLICATION_KEY and DI_TASK_KEY go together"));
        assertTrue(e.getMessage().contains("POLL_MAX_INTERVAL_SECONDS (5) must not be below POLL_INTERVAL_SECONDS (15)"));
    }

    @Test
    void theBudgetEndsAMarginBeforeTheDeadlineAndNeverMoreThanAnHourAway() {
        dev.fusionextract.testing.ManualTime time = new dev.fusionextract.testing.ManualTime();
        Budget budget = Budget.until(time.instant().plusSeconds(300), Duration.ofSeconds(30), time);
        assertEquals(Duration.ofSeconds(270), budget.remaining());
        assertTrue(budget.fits(Duration.ofSeconds(270)) && !budget.fits(Duration.ofSeconds(271)));
        assertEquals(Duration.ofMinutes(59).plusSeconds(30),
                Budget.until(time.instant().plus(Duration.ofDays(1)), Duration.ofSeconds(30), time).remaining());
        time.advance(Duration.ofSeconds(400));
        assertEquals(Duration.ZERO, budget.remaining());
    }

    @Test
    void aZipLimitThatOneMultipartUploadCannotHoldIsRefusedAtStart() {
        java.util.Map<String, String> values = new java.util.HashMap<>(poll());
        values.put("FUSION_BASE_URL", "https://fa-x.oraclecloud.com");
        values.put("IDCS_URL", "https://idcs-x.identity.oraclecloud.com");
        values.put("IDCS_SECRET_OCID", "ocid1.vaultsecret.oc1.iad.x");
        values.put("CONTROL_BUCKET", "c");
        values.put("LANDING_BUCKET", "l");
        values.put("UPLOAD_PART_SIZE_MIB", "1");
        values.put("ZIP_MAX_UNZIPPED_GIB", "20");
        ConfigException e = assertThrows(ConfigException.class, () -> dev.fusionextract.config.Configuration.load(ConfigSource.of(values),
                ConfigKey.Reader.TRANSFER));
        assertTrue(e.getMessage().contains("lower ZIP_MAX_UNZIPPED_GIB to 9 or raise UPLOAD_PART_SIZE_MIB to 3"), e.getMessage());
        values.put("ZIP_MAX_UNZIPPED_GIB", "9");
        dev.fusionextract.config.Configuration.load(ConfigSource.of(values), ConfigKey.Reader.TRANSFER);
        values.remove("UPLOAD_PART_SIZE_MIB");
        values.remove("ZIP_MAX_UNZIPPED_GIB");
        dev.fusionextract.config.Configuration.load(ConfigSource.of(values), ConfigKey.Reader.TRANSFER); // the defaults fit
    }
}
