package dev.fusionextract.poll;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.fn.FnAdapter;
import dev.fusionextract.pipeline.Components;

/** poll-function: a POLL message in (from Notifications, or fn invoke), the job followed until it ends or the budget is spent. */
public class PollFunction {

    private FnAdapter.Setup setup;

    /** The FDK needs exactly one public constructor: this one. */
    public PollFunction() {
    }

    /** The same handler outside Fn (the local mode, tests), with components made elsewhere. */
    public static PollFunction with(Components components) {
        PollFunction function = new PollFunction();
        function.setup = new FnAdapter.Setup(components, null);
        return function;
    }

    @FnConfiguration
    public void configure(RuntimeContext context) {
        setup = FnAdapter.configure(context, ConfigKey.Reader.POLL);
    }

    public OutputEvent handleRequest(InputEvent input) {
        return FnAdapter.handle(setup, input, (components, body, deadline) -> new PollService(components).handle(body, deadline));
    }
}
