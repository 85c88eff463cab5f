package dev.fusionextract.transfer.function;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.fn.FnAdapter;
import dev.fusionextract.pipeline.Components;

/** transfer-function: a TRANSFER message in, the job's output files streamed, unzipped, into the landing bucket. */
public class TransferFunction {

    private FnAdapter.Setup setup;

    /** The FDK needs exactly one public constructor: this one. */
    public TransferFunction() {
    }

    /** The same handler outside Fn (the local mode, tests), with components made elsewhere. */
    public static TransferFunction with(Components components) {
        TransferFunction function = new TransferFunction();
        function.setup = new FnAdapter.Setup(components, null);
        return function;
    }

    @FnConfiguration
    public void configure(RuntimeContext context) {
        setup = FnAdapter.configure(context, ConfigKey.Reader.TRANSFER);
    }

    public OutputEvent handleRequest(InputEvent input) {
        return FnAdapter.handle(setup, input, (components, body, deadline) -> new TransferService(components).handle(body, deadline));
    }
}
