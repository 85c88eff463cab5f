package dev.fusionextract.submit;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.fn.FnAdapter;
import dev.fusionextract.pipeline.Components;

/** submit-function: an OCI Events trigger or a direct request in, a submitted Fusion job (or a Data Integration run) out. */
public class SubmitFunction {

    private FnAdapter.Setup setup;

    /** The FDK needs exactly one public constructor: this one. */
    public SubmitFunction() {
    }

    /** The same handler outside Fn (the local mode, tests), with components made elsewhere. */
    public static SubmitFunction with(Components components) {
        SubmitFunction function = new SubmitFunction();
        function.setup = new FnAdapter.Setup(components, null);
        return function;
    }

    @FnConfiguration
    public void configure(RuntimeContext context) {
        setup = FnAdapter.configure(context, ConfigKey.Reader.SUBMIT);
    }

    public OutputEvent handleRequest(InputEvent input) {
        return FnAdapter.handle(setup, input, (components, body, deadline) -> new SubmitService(components).handle(body, deadline));
    }
}
