package io.pinhole.relay.control;

import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.stats.RelayStatistics;
import java.util.List;

/** The command table of the relay: every command we speak, once. */
public final class NgCommands {

    private NgCommands() {
    }

    public static NgCommandTable table(OfferAnswer offerAnswer, CallRegistry registry, RelayStatistics stats,
                                       boolean strictSourceDefault) {
        MediaOptionsParser options = new MediaOptionsParser(strictSourceDefault);
        return new NgCommandTable(List.of(
                new PingCommand(),
                new OfferCommand(offerAnswer, options),
                new AnswerCommand(offerAnswer, options),
                new DeleteCommand(registry),
                new QueryCommand(registry),
                new ListCommand(registry),
                new StatisticsCommand(stats)));
    }
}
