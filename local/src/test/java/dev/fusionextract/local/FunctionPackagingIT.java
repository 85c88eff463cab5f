package dev.fusionextract.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code fn deploy --all} would build, checked after {@code ./mvnw package}: each function folder's
 * func.yaml and Dockerfile, the jars the Dockerfile copies, and the handler it names.
 */
class FunctionPackagingIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The run image of the FDK version the build uses: the root pom's fn-fdk.version, so that the two cannot drift. */
    private static final String RUN_IMAGE = "fnproject/fn-java-fdk:jre17-" + fdkVersion();

    private static String fdkVersion() {
        try {
            Matcher version = Pattern.compile("<fn-fdk\\.version>([^<]+)</fn-fdk\\.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
            if (!version.find()) {
                throw new AssertionError("the root pom.xml names no fn-fdk.version");
            }
            return version.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void appYamlNamesTheApplicationAtTheRoot() throws IOException {
        JsonNode app = YAML.readTree(ROOT.resolve("app.yaml").toFile());
        assertEquals("fusion-extract", app.path("name").asText());
        assertFalse(Files.exists(ROOT.resolve("func.yaml")), "a root func.yaml would be deployed as a fourth function");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit-function", "poll-function", "transfer-function"})
    void funcYamlIsADockerFunctionWithTheFullTimeout(String folder) throws IOException {
        JsonNode func = YAML.readTree(ROOT.resolve(folder).resolve("func.yaml").toFile());
        assertEquals(20180708, func.path("schema_version").asInt());
        assertEquals(folder, func.path("name").asText());
        assertEquals("docker", func.path("runtime").asText());
        assertEquals(300, func.path("timeout").asInt());
        assertTrue(List.of(128, 256, 512, 1024, 2048, 3072).contains(func.path("memory").asInt()), "a memory size OCI Functions offers");
        assertTrue(func.path("version").asText().matches("\\d+\\.\\d+\\.\\d+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit-function", "poll-function", "transfer-function"})
    void dockerfileCopiesWhatTheBuildMadeAndNamesAHandlerThatExists(String folder) throws Exception {
        Path dir = ROOT.resolve(folder);
        String dockerfile = Files.readString(dir.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("FROM " + RUN_IMAGE + "\n"), "the official run image of the FDK version the build uses ("
                + RUN_IMAGE + ")");
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) /function/app/$").matcher(dockerfile);
        assertTrue(copy.find(), "copies the jars into /function/app/");
        Path app = dir.resolve(copy.group(1).replace("/*.jar", ""));
        List<Path> jars;
        try (Stream<Path> files = Files.list(app)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith(folder + "-")), "the function's own jar");
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("shared-")), "the shared library");
        assertFalse(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("emulators-")), "no emulator code is deployed");
        assertFalse(jars.stream().anyMatch(p -> p.getFileName().toString().matches("(api|runtime|testing.*)-" + Pattern.quote(fdkVersion())
                + "\\.jar")), "the run image provides the FDK");
        // commons-compress 1.28.0 calls FileTimes.fromUnixTime (commons-io 2.16+; it declares 2.20.0) on Info-ZIP's timestamp fields.
        List<String> commonsIo = jars.stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith("commons-io-")).toList();
        assertEquals(1, commonsIo.size(), "one commons-io: " + commonsIo);
        String[] version = commonsIo.get(0).replace("commons-io-", "").replace(".jar", "").split("\\.");
        assertTrue(Integer.parseInt(version[0]) > 2 || Integer.parseInt(version[1]) >= 16, "commons-io 2.16 or newer: " + commonsIo);

        Matcher cmd = Pattern.compile("(?m)^CMD \\[\"([\\w.]+)::(\\w+)\"]$").matcher(dockerfile);
        assertTrue(cmd.find(), "CMD names class::method");
        URL[] urls = jars.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
        try (URLClassLoader loader = new URLClassLoader(urls, FunctionPackagingIT.class.getClassLoader())) {
            Class<?> handler = Class.forName(cmd.group(1), false, loader);
            Method method = handler.getMethod(cmd.group(2), InputEvent.class);
            assertEquals(OutputEvent.class, method.getReturnType());
            assertEquals(1, Stream.of(handler.getConstructors()).filter(c -> Modifier.isPublic(c.getModifiers())).count(),
                    "the FDK needs exactly one public constructor");
        }
    }

    @Test
    void noFuncYamlIsCopiedIntoBuildOutput() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Path> stray = files.filter(p -> p.getFileName().toString().equals("func.yaml"))
                    .filter(p -> ROOT.relativize(p).toString().contains("target")).toList();
            assertEquals(List.of(), stray);
        }
    }
}
