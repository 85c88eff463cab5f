package dev.fusionextract.config;

import dev.fusionextract.fusion.ScheduleDateFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> values = new HashMap<>();
        values.put("FUSION_BASE_URL", "https://fa-abcd-saasfaprod1.fa.ocs.oraclecloud.com/");
        values.put("IDCS_URL", "https://idcs-0123.identity.oraclecloud.com");
        values.put("IDCS_SECRET_OCID", "ocid1.vaultsecret.oc1.iad.amaaaaaaexample");
        return values;
    }

    @Test
    void appliesTheDocumentedDefaults() {
        ExtractConfig config = ExtractConfig.load(ConfigSource.of(valid()));
        assertEquals("https://fa-abcd-saasfaprod1.fa.ocs.oraclecloud.com", config.fusion().baseUrl().toString());
        assertEquals(ScheduleDateFormat.MONTH_DAY_YEAR, config.fusion().scheduleDateFormat());
        assertTrue(config.fusion().scope().isEmpty());
        assertEquals(Duration.ofSeconds(60), config.httpTimeout());
        assertEquals(6, config.retry().maxAttempts());
        assertEquals(Duration.ofMillis(500), config.retry().baseDelay());
        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(key.required() || key.defaultValue().isPresent(), key.name());
        }
    }

    @Test
    void reportsEveryProblemAtOnceWithTheKeyAndAnExample() {
        Map<String, String> values = new HashMap<>();
        values.put("IDCS_URL", "http://idcs.example.com");
        values.put("RETRY_MAX_ATTEMPTS", "many");
        values.put("FUSION_SCHEDULE_DATE_FORMAT", "dd.MM.yyyy");
        values.put("LOG_LEVEL", "LOUD");
        values.put("IDCS_SECRET_OCID", "not-an-ocid");
        ConfigException e = assertThrows(ConfigException.class, () -> ExtractConfig.load(ConfigSource.of(values)));
        assertEquals(6, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("FUSION_BASE_URL is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("Example: https://fa-abcd-saasfaprod1.fa.ocs.oraclecloud.com"), e.getMessage());
        assertTrue(e.getMessage().contains("IDCS_URL must use https://"), e.getMessage());
        assertTrue(e.getMessage().contains("RETRY_MAX_ATTEMPTS must be a whole number from 1 to 20, got \"many\""), e.getMessage());
        assertTrue(e.getMessage().contains("FUSION_SCHEDULE_DATE_FORMAT must be one of MM/dd/yyyy, yyyy-MM-dd"), e.getMessage());
        assertTrue(e.getMessage().contains("LOG_LEVEL"), e.getMessage());
        assertTrue(e.getMessage().contains("IDCS_SECRET_OCID must be a Vault secret OCID"), e.getMessage());
    }

    @Test
    void acceptsPlainHttpOnlyOnLoopback() {
        Map<String, String> values = valid();
        values.put("FUSION_BASE_URL", "http://127.0.0.1:8080");
        values.put("IDCS_URL", "http://localhost:8080");
        assertEquals("http://127.0.0.1:8080", ExtractConfig.load(ConfigSource.of(values)).fusion().baseUrl().toString());
        values.put("FUSION_BASE_URL", "http://10.0.0.5:8080");
        assertThrows(ConfigException.class, () -> ExtractConfig.load(ConfigSource.of(values)));
    }

    @Test
    void refusesCredentialsInAUrlWithoutEchoingThem() {
        Map<String, String> values = valid();
        values.put("FUSION_BASE_URL", "https://user:Pa55word@fa.example.com");
        ConfigException e = assertThrows(ConfigException.class, () -> ExtractConfig.load(ConfigSource.of(values)));
        assertTrue(e.getMessage().contains("must not contain user:password@"), e.getMessage());
        assertFalse(e.getMessage().contains("Pa55word"), e.getMessage());
    }

    @Test
    void treatsBlankValuesAsAbsentAndFallsBackToAnotherSource() {
        Map<String, String> blank = new HashMap<>(valid());
        blank.put("FUSION_BASE_URL", "   ");
        ConfigSource source = ConfigSource.of(blank).orElse(ConfigSource.of(Map.of("FUSION_BASE_URL", "https://other.example.com")));
        assertEquals("https://other.example.com", ExtractConfig.load(source).fusion().baseUrl().toString());
    }

    @Test
    void readsAnFnFunctionsConfiguration() {
        com.fnproject.fn.api.RuntimeContext context = org.mockito.Mockito.mock(com.fnproject.fn.api.RuntimeContext.class);
        org.mockito.Mockito.when(context.getConfigurationByKey(org.mockito.ArgumentMatchers.anyString()))
                .thenAnswer(call -> java.util.Optional.ofNullable(valid().get(call.<String>getArgument(0))));
        ExtractConfig config = ExtractConfig.load(context::getConfigurationByKey);
        assertEquals("ocid1.vaultsecret.oc1.iad.amaaaaaaexample", config.fusion().secretOcid());
    }

    @Test
    void hostsRecogniseLoopbackWithoutDns() {
        for (String host : new String[]{"localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]"}) {
            assertTrue(Hosts.isLoopback(host), host);
        }
        for (String host : new String[]{"10.0.0.1", "127.0.0.1.evil.com", "localhost.example.com", "128.0.0.1", ""}) {
            assertFalse(Hosts.isLoopback(host), host);
        }
    }
}
