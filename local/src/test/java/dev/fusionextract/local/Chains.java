package dev.fusionextract.local;

import dev.fusionextract.config.ConfigKey;
import dev.fusionextract.poll.PollFunction;
import dev.fusionextract.submit.SubmitFunction;
import dev.fusionextract.testing.ChainFixture;
import dev.fusionextract.testing.Deliveries;
import dev.fusionextract.transfer.function.TransferFunction;

import static dev.fusionextract.testing.ChainFixture.POLL_TOPIC;
import static dev.fusionextract.testing.ChainFixture.TRANSFER_TOPIC;

/** The three functions wired to a fixture's deliveries as OCI wires them: events (and direct calls) to submit, the topics to the rest. */
final class Chains {

    static final String EVENTS = "events";

    private Chains() {
    }

    static Deliveries whole(ChainFixture fx) {
        return new Deliveries(fx)
                .route(EVENTS, SubmitFunction.with(fx.components(ConfigKey.Reader.SUBMIT))::handleRequest)
                .route(POLL_TOPIC, PollFunction.with(fx.components(ConfigKey.Reader.POLL))::handleRequest)
                .route(TRANSFER_TOPIC, TransferFunction.with(fx.components(ConfigKey.Reader.TRANSFER))::handleRequest);
    }
}
