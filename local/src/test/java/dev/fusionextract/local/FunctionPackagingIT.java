package dev.fusionextract.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import dev.fusionextract.local.bench.FunctionImage;
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
    private static final ObjectMapper JSON = new ObjectMapper();
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
        // The SDK sends through the JDK's own client (JdkHttpProvider): its Jersey/HK2/Apache stack is not shipped.
        assertEquals(List.of(), jars.stream().map(p -> p.getFileName().toString())
                .filter(n -> n.matches("(oci-java-sdk-common-httpclient-jersey.*|jersey-.*|hk2-.*|httpclient-.*|jakarta\\.ws\\.rs-.*)\\.jar"))
                .toList(), folder + " ships no second HTTP stack");
        assertFalse(jars.stream().anyMatch(p -> p.getFileName().toString().matches("(api|runtime|testing.*)-" + Pattern.quote(fdkVersion())
                + "\\.jar")), "the run image provides the FDK");
        // Only transfer-function unzips: it alone ships commons-compress, and with it the commons-io it needs.
        boolean unzips = jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("commons-compress-"));
        assertEquals(folder.equals("transfer-function"), unzips, folder + " and commons-compress");
        List<String> commonsIo = jars.stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith("commons-io-")).toList();
        if (unzips) {
            // commons-compress 1.28.0 calls FileTimes.fromUnixTime (commons-io 2.16+; it declares 2.20.0) on Info-ZIP's timestamp fields.
            assertEquals(1, commonsIo.size(), "one commons-io: " + commonsIo);
            String[] version = commonsIo.get(0).replace("commons-io-", "").replace(".jar", "").split("\\.");
            assertTrue(Integer.parseInt(version[0]) > 2 || Integer.parseInt(version[1]) >= 16, "commons-io 2.16 or newer: " + commonsIo);
        }

        Matcher cmd = cmd(dockerfile);
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

    @ParameterizedTest
    @ValueSource(strings = {"submit-function", "poll-function", "transfer-function"})
    void theImageStartsTheFunctionWithTheFlagsAndArchiveBenchColdstartMeasures(String folder) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve(folder).resolve("Dockerfile"));
        List<String> java = List.of(FunctionImage.JAVA);
        List<String> entrypoint = concat(java, FunctionImage.FLAGS, List.of("-Djava.library.path=/function/runtime/lib", "-cp",
                FunctionImage.CLASSPATH, "com.fnproject.fn.runtime.EntryPoint"));
        assertEquals(List.of(entrypoint), instructions(dockerfile, "ENTRYPOINT"), "ENTRYPOINT: the image's start with FunctionImage.FLAGS");
        List<String> dump = concat(java, List.of("-Xshare:dump", "-XX:SharedClassListFile=" + FunctionImage.CLASS_LIST,
                "-XX:SharedArchiveFile=" + FunctionImage.ARCHIVE, "-cp", FunctionImage.CLASSPATH));
        List<String> check = concat(java, FunctionImage.FLAGS, List.of("-cp", FunctionImage.CLASSPATH, "-version"));
        assertEquals(List.of(dump, check), instructions(dockerfile, "RUN"), "dumps the archive from the class list, then starts with it");
        assertTrue(dockerfile.contains("\nCOPY " + FunctionImage.BUILT_CLASS_LIST + " " + FunctionImage.CLASS_LIST + "\n"),
                "copies the class list the build wrote");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit-function", "poll-function", "transfer-function"})
    void theBuildsClassListDumpsAnArchiveHoldingTheHandlerAndTheSdk(String folder) throws Exception {
        Path dir = ROOT.resolve(folder);
        List<String> classes = Files.readAllLines(dir.resolve(FunctionImage.BUILT_CLASS_LIST));
        String handler = cmd(Files.readString(dir.resolve("Dockerfile"))).group(1).replace('.', '/');
        assertTrue(classes.contains(handler), "the class list holds the handler " + handler);
        assertTrue(classes.contains("com/oracle/bmc/objectstorage/ObjectStorageClient"), "and the SDK's clients");
        assertTrue(classes.stream().anyMatch(line -> line.startsWith("@lambda-proxy " + handler.substring(0, handler.indexOf("/", 4)))),
                "the function's own lambdas are listed for the archive");
        assertFalse(classes.stream().anyMatch(line -> line.contains("local/bench/FnDriver")), "nothing of the benchmark's driver");

        // The Dockerfile's two RUNs, with this machine's JDK and paths: the dump, then the function's flags on it.
        Path work = Files.createTempDirectory("fusion-extract-archive");
        Path archive = work.resolve("app.jsa");
        String classpath = dir.resolve("target/app") + "/*" + java.io.File.pathSeparator + ROOT.resolve("local/target/fdk-runtime") + "/*";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertEquals(0, run(List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + dir.resolve(FunctionImage.BUILT_CLASS_LIST),
                "-XX:SharedArchiveFile=" + archive, "-cp", classpath)).exit());
        Run printed = run(concat(List.of(java), FunctionImage.flags(archive), List.of("-cp", classpath, "-XX:+PrintSharedArchiveAndExit",
                "-XX:SharedArchiveFile=" + archive, "-verbose")));
        assertEquals(0, printed.exit(), printed.output());
        // -XX:+PrintSharedArchiveAndExit lists the archived classes, one "<n>: <class> <loader>" line each
        assertTrue(printed.output().contains(" " + handler.replace('/', '.') + " app_loader"), "the archive holds the handler");
        assertTrue(printed.output().contains(" com.oracle.bmc.objectstorage.ObjectStorageClient app_loader"),
                "the archive holds the SDK's classes: their jars ship unsigned");
    }

    @ParameterizedTest
    @ValueSource(strings = {"submit-function", "poll-function", "transfer-function"})
    void theSdkJarsShipUnsignedAndBouncyCastleSigned(String folder) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(ROOT.resolve(folder).resolve("target/app"))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (name.startsWith("oci-java-sdk-")) {
                assertFalse(signed(jar), name + " ships unsigned (build-tools/UnsignJars.java)");
            } else if (name.startsWith("bcprov-")) {
                assertTrue(signed(jar), name + " stays signed: a JCE provider must be on Oracle's JDK");
            }
        }
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("oci-java-sdk-common-")));
        // each function ships the SDK modules it uses: Data Integration is started by submit and followed by poll only
        assertEquals(!folder.equals("transfer-function"), jars.stream().anyMatch(p -> p.getFileName().toString()
                .startsWith("oci-java-sdk-dataintegration-")), folder + " and the Data Integration module");
    }

    private static boolean signed(Path jar) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    /** The exec-form (JSON array) arguments of every {@code instruction} line, in order. */
    private static List<List<String>> instructions(String dockerfile, String instruction) throws IOException {
        List<List<String>> found = new java.util.ArrayList<>();
        for (String line : dockerfile.split("\n")) {
            if (line.startsWith(instruction + " [")) {
                found.add(List.of(JSON.readValue(line.substring(instruction.length() + 1), String[].class)));
            }
        }
        return found;
    }

    /** The Dockerfile's CMD, found: group 1 the handler class, group 2 its method. */
    private static Matcher cmd(String dockerfile) {
        Matcher cmd = Pattern.compile("(?m)^CMD \\[\"([\\w.]+)::(\\w+)\"]$").matcher(dockerfile);
        assertTrue(cmd.find(), "CMD names class::method");
        return cmd;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
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
