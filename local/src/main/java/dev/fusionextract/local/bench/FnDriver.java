package dev.fusionextract.local.bench;

import com.fnproject.fn.api.Headers;
import com.fnproject.fn.api.MethodWrapper;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.runtime.FunctionConfigurer;
import com.fnproject.fn.runtime.FunctionInvocationContext;
import com.fnproject.fn.runtime.FunctionLoader;
import com.fnproject.fn.runtime.FunctionRuntimeContext;
import com.fnproject.fn.runtime.ReadOnceInputEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs inside the JVM {@link ColdStartBenchmark} starts, on exactly a function's classpath: it brings the function
 * up the way the FDK's {@code EntryPoint} does on the first request (the same public runtime classes, in the same
 * order: load the handler class, a {@code FunctionRuntimeContext} over the configuration taken from the
 * environment, {@code @FnConfiguration}, then the invocation), and answers each request. Only the transport
 * differs: requests come on stdin rather than over the Fn unix socket, whose JNI library ships only in the run
 * image. With {@code hello} in place of a handler it answers without loading any function: the JVM hello-world.
 *
 * <p>Protocol, request: {@code INVOKE <body bytes>} line, header lines {@code Name: value}, an empty line, the body;
 * {@code EXIT} ends. Answer: {@code DONE <status> <main entered ms> <request read ms> <configured ms> <answered ms>
 * <body bytes>} line, then the body. Times are epoch milliseconds, the clock the parent reads too.
 *
 * <p>This class uses nothing but the JDK and the FDK runtime: it is copied out of the CLI's jar on its own.
 */
public final class FnDriver {

    /** Environment keys the FDK keeps out of a function's configuration (EntryPoint.excludeInternalConfigAndHeaders). */
    private static final Set<String> NOT_CONFIG = Set.of("fn_path", "fn_method", "fn_request_url", "fn_format", "content-length", "fn_call_id");

    private FnDriver() {
    }

    public static void main(String[] args) throws IOException {
        long entered = System.currentTimeMillis();
        PrintStream protocol = System.out;
        System.setOut(System.err); // as EntryPoint does: what a function prints goes to stderr
        DataInputStream in = new DataInputStream(System.in);
        boolean hello = args[0].equals("hello");
        FunctionRuntimeContext context = null;
        int call = 0;
        while (true) {
            String line = readLine(in);
            if (line == null || line.equals("EXIT")) {
                break;
            }
            int length = Integer.parseInt(line.substring("INVOKE ".length()));
            Map<String, String> headers = new HashMap<>();
            for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(length);
            long read = System.currentTimeMillis();
            call++;
            byte[] answer;
            String status;
            long configured = read;
            if (hello) {
                answer = "hello".getBytes(StandardCharsets.UTF_8);
                status = "Success";
            } else {
                if (context == null) {
                    context = load(args[0]);
                    configured = System.currentTimeMillis();
                }
                headers.putIfAbsent("Fn-Call-Id", "cold-" + call);
                headers.putIfAbsent("Fn-Deadline", Instant.ofEpochMilli(read).plusSeconds(300).toString());
                Headers fnHeaders = Headers.fromMap(headers);
                ReadOnceInputEvent event = new ReadOnceInputEvent(new ByteArrayInputStream(body), fnHeaders,
                        headers.get("Fn-Call-Id"), Instant.parse(headers.get("Fn-Deadline")));
                FunctionInvocationContext invocation = context.newInvocationContext(event);
                OutputEvent output = context.tryInvoke(event, invocation);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                output.writeToOutput(bytes);
                answer = bytes.toByteArray();
                status = output.getStatus().name();
            }
            long answered = System.currentTimeMillis();
            protocol.print("DONE " + status + " " + entered + " " + read + " " + configured + " " + answered + " " + answer.length + "\n");
            protocol.write(answer);
            protocol.flush();
        }
        protocol.flush();
        System.exit(0);
    }

    private static FunctionRuntimeContext load(String handler) {
        String[] classMethod = handler.split("::");
        MethodWrapper method = new FunctionLoader().loadClass(classMethod[0], classMethod[1]);
        Map<String, String> config = new HashMap<>();
        System.getenv().forEach((key, value) -> {
            String lower = key.toLowerCase();
            if (!lower.startsWith("header_") && !NOT_CONFIG.contains(lower)) {
                config.put(key, value);
            }
        });
        FunctionRuntimeContext context = new FunctionRuntimeContext(method, config);
        new FunctionConfigurer().configure(context);
        return context;
    }

    /** One protocol line (UTF-8, up to '\n'), or null at the end of the stream; the benchmark reads answers with it too. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
