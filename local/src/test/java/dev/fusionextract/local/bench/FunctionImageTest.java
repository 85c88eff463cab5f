package dev.fusionextract.local.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionImageTest {

    @Test
    void aDumpedClassListLosesTheBenchmarksDriverAndKeepsTheFunctionsLambdas() {
        String proxy = "@lambda-proxy com/example/Handler run ()Ljava/lang/Runnable; ()V REF_invokeStatic com/example/Handler lambda$0 ()V ()V";
        String driverProxy = "@lambda-proxy dev/fusionextract/local/bench/FnDriver accept (Ljava/util/Map;)Ljava/util/function/BiConsumer;";
        String invoker = "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L";
        List<String> dumped = List.of("java/lang/Object id: 0", "com/example/Handler", proxy, invoker,
                "dev/fusionextract/local/bench/FnDriver", driverProxy, "com/oracle/bmc/objectstorage/ObjectStorageClient");
        assertEquals(List.of("java/lang/Object id: 0", "com/example/Handler", proxy, invoker, "com/oracle/bmc/objectstorage/ObjectStorageClient"),
                FunctionImage.cleanClassList(dumped));
    }

    @Test
    void theFallbackListKeepsEveryClassAndNoLambdaLine() {
        List<String> list = List.of("java/lang/Object id: 0", "@lambda-proxy com/example/Handler run ()Ljava/lang/Runnable;",
                "com/example/Handler", "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L");
        assertEquals(List.of("java/lang/Object id: 0", "com/example/Handler"), FunctionImage.withoutLambdas(list));
    }

    @Test
    void theBenchmarkUsesTheImagesFlagsWithItsOwnArchiveInPlaceOfTheImages() {
        List<String> local = FunctionImage.flags(Path.of("work", "submit.jsa"));
        assertEquals(FunctionImage.FLAGS.size(), local.size());
        assertTrue(local.contains("-XX:SharedArchiveFile=" + Path.of("work", "submit.jsa")));
        assertFalse(local.contains("-XX:SharedArchiveFile=" + FunctionImage.ARCHIVE));
        List<String> none = FunctionImage.flags(null);
        assertEquals(FunctionImage.FLAGS.size() - 1, none.size());
        assertTrue(none.stream().noneMatch(f -> f.startsWith("-XX:SharedArchiveFile=")));
        assertTrue(none.containsAll(List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xshare:on")), "the run image's own flags");
    }

    @Test
    void theImageKeepsIdleHttpConnectionsHalfAMinuteNotTheJdksTwentyMinutes() {
        assertTrue(FunctionImage.FLAGS.contains("-Djdk.httpclient.keepalive.timeout=30"), FunctionImage.FLAGS.toString());
        assertTrue(FunctionImage.KEEP_ALIVE_SECONDS < Integer.parseInt(dev.fusionextract.config.ConfigKey.HTTP_TIMEOUT_SECONDS.defaultValue().orElseThrow()),
                "an idle connection is dropped before a silent one could cost a whole timeout");
    }

    @Test
    void aFunctionsMemoryIsItsFuncYaml() throws Exception {
        assertEquals(256, FunctionImage.memoryMb(Path.of("..", "submit-function")));
        assertEquals(512, FunctionImage.memoryMb(Path.of("..", "transfer-function")));
    }
}
