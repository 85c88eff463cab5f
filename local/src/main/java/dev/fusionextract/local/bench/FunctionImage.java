package dev.fusionextract.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a function's image runs, in one place for the Dockerfiles, the cold-start benchmark and the build's class
 * lists: the JVM flags, the class list and the class-data-sharing archive. The flags are the run image's own
 * ({@code fnproject/fn-java-fdk:jre17-*} starts {@code EntryPoint} with {@code -XX:-UsePerfData -XX:+UseSerialGC
 * -Xshare:on -Djava.awt.headless=true}, fdk-java's runtime Dockerfile) plus the archive each Dockerfile dumps from
 * the class list with the image's own JDK, half the memory for the heap and a short HTTP keep-alive. {@code FunctionPackagingIT} checks every Dockerfile against this class.
 */
public final class FunctionImage {

    /** Where the Dockerfile puts the class list the build wrote to {@code <function>/target/cds/classes.lst}. */
    public static final String CLASS_LIST = "/function/cds/classes.lst";
    /** Where the Dockerfile dumps the archive. */
    public static final String ARCHIVE = "/function/cds/app.jsa";
    /** The build's class list, relative to the function's folder. */
    public static final String BUILT_CLASS_LIST = "target/cds/classes.lst";
    /** The JDK of the run image (what its own ENTRYPOINT starts). */
    public static final String JAVA = "/usr/java/latest/bin/java";
    /** The classpath the image's ENTRYPOINT gives: the function's jars, then the FDK runtime's. */
    public static final String CLASSPATH = "/function/app/*:/function/runtime/*";

    /**
     * How long an idle HTTP connection is kept for reuse (the JDK's default is 1200 s): long enough for the calls of
     * one invocation to share connections, short enough that one left idle between invocations (the container may
     * be paused, and a connection a middlebox dropped in silence would only fail after HTTP_TIMEOUT_SECONDS) is
     * closed and opened afresh instead.
     */
    static final int KEEP_ALIVE_SECONDS = 30;

    /** The flags of the image's JVM, the archive as it sits in the image. */
    public static final List<String> FLAGS = List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xshare:on",
            "-XX:SharedArchiveFile=" + ARCHIVE, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-XX:MaxRAMPercentage=50",
            "-Djava.awt.headless=true", "-Djdk.httpclient.keepalive.timeout=" + KEEP_ALIVE_SECONDS);

    private FunctionImage() {
    }

    /** The image's flags with the archive at {@code archive} instead (a local dump of the same class list), or none. */
    public static List<String> flags(Path archive) {
        List<String> flags = new ArrayList<>();
        for (String flag : FLAGS) {
            if (flag.startsWith("-XX:SharedArchiveFile=")) {
                if (archive != null) {
                    flags.add("-XX:SharedArchiveFile=" + archive);
                }
            } else {
                flags.add(flag);
            }
        }
        return flags;
    }

    /** A function's configured memory in MB: {@code memory:} of its func.yaml. */
    public static int memoryMb(Path functionDir) throws IOException {
        Matcher memory = Pattern.compile("(?m)^memory:\\s*(\\d+)\\s*$").matcher(Files.readString(functionDir.resolve("func.yaml")));
        if (!memory.find()) {
            throw new IllegalStateException(functionDir.resolve("func.yaml") + " has no memory: line");
        }
        return Integer.parseInt(memory.group(1));
    }

    /**
     * A class list as {@code -XX:DumpLoadedClassList} wrote it, made fit for the image: without the lines that name the
     * benchmark's own driver, which is not in the image. The {@code @lambda-proxy} and {@code @lambda-form-invoker}
     * lines stay: they put the function's lambdas in the archive (README, "Cold start": 0.2 s of a first response).
     */
    public static List<String> cleanClassList(List<String> dumped) {
        String driver = FnDriver.class.getName().replace('.', '/');
        return dumped.stream().filter(line -> !line.contains(driver)).toList();
    }

    /** A class list without its lambda lines: what {@code sed -i '/^@/d'} leaves, the README's fallback. */
    public static List<String> withoutLambdas(List<String> classList) {
        return classList.stream().filter(line -> !line.startsWith("@")).toList();
    }
}
