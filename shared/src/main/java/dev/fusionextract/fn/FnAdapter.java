package dev.fusionextract.fn;

import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.failure.ExtractException;
import dev.fusionextract.pipeline.Components;
import dev.fusionextract.pipeline.Reply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * What every handler does with Fn, in one place: build the components from the function's configuration once
 * per container, read the body and the deadline, and turn a {@link Reply} into an HTTP answer.
 */
public final class FnAdapter {

    private FnAdapter() {
    }

    /** The components, or the configuration error to answer every invocation with (502, so events wait for the fix). */
    public record Setup(Components components, ExtractException error) {
    }

    public static Setup configure(RuntimeContext context, ConfigKey.Reader reader) {
        return configure(context::getConfigurationByKey, reader, System.getenv());
    }

    static Setup configure(dev.fusionextract.config.ConfigSource source, ConfigKey.Reader reader, Map<String, String> environment) {
        try {
            return new Setup(Components.forFunction(source, reader, environment), null);
        } catch (ExtractException e) {
            System.err.println("{\"level\":\"ERROR\",\"msg\":\"function is not configured\",\"error\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getMessage()) + "}");
            return new Setup(null, e);
        }
    }

    /** What a function does with one invocation, given its components. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Components components, byte[] body, Instant deadline);
    }

    /**
     * Answers one invocation: the configuration error when there is one, else the handler's reply. Handlers run
     * under {@link dev.fusionextract.pipeline.StageRunner} and throw nothing; should anything escape all the
     * same, it is logged and answered here, so the FDK always sees a normal answer.
     */
    public static OutputEvent handle(Setup setup, InputEvent input, Handler handler) {
        if (setup.error() != null) {
            return notConfigured(setup.error());
        }
        try {
            return output(handler.handle(setup.components(), body(input), deadline(input)));
        } catch (Throwable e) {
            String reason = dev.fusionextract.failure.Reasons.of(e);
            setup.components().log().error("invocation failed outside the stage runner", e, "reason", reason);
            return output(Reply.retry(reason).redacted(setup.components().log().redactor()));
        }
    }

    public static byte[] body(InputEvent input) {
        return input.consumeBody(in -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static Instant deadline(InputEvent input) {
        return input.getDeadline();
    }

    public static OutputEvent output(Reply reply) {
        return OutputEvent.fromBytes(reply.bytes(), reply.outcome() == Reply.Outcome.DONE ? OutputEvent.Status.Success
                : OutputEvent.Status.FunctionError, "application/json");
    }

    public static OutputEvent notConfigured(ExtractException error) {
        return output(Reply.retry("The function is not configured: " + error.getMessage()));
    }
}
