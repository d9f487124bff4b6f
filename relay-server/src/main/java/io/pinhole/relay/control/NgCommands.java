package io.pinhole.relay.control;

import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.stats.RelayStatistics;
import java.util.List;

/** The command table of the relay: every command we speak, once. */
public final class NgCommands {

    private NgCommands() {
    }

    /** A relay without TCP, TLS and HTTP media and without conferences (the warm-up's). */
    public static NgCommandTable table(OfferAnswer offerAnswer, CallRegistry registry, RelayStatistics stats,
                                       boolean strictSourceDefault) {
        return table(offerAnswer, registry, stats, strictSourceDefault, 0, 0, 0, Conferences.none());
    }

    /** @param tcpPort the bound TCP media port (0 = none), {@code tlsPort} and {@code httpPort} the same for TLS, HTTP */
    public static NgCommandTable table(OfferAnswer offerAnswer, CallRegistry registry, RelayStatistics stats,
                                       boolean strictSourceDefault, int tcpPort, int tlsPort, int httpPort,
                                       Conferences conferences) {
        MediaOptionsParser options = new MediaOptionsParser(strictSourceDefault);
        StreamGrants streams = tcpPort == 0 && tlsPort == 0 && httpPort == 0 ? StreamGrants.NONE
                : new StreamGrants(registry, tcpPort, tlsPort, httpPort);
        return new NgCommandTable(List.of(
                new PingCommand(tcpPort, tlsPort, httpPort),
                new OfferCommand(offerAnswer, options, streams),
                new AnswerCommand(offerAnswer, options, streams),
                new DeleteCommand(registry, conferences),
                new QueryCommand(registry, conferences),
                new ListCommand(registry, conferences),
                new StatisticsCommand(stats, conferences),
                new JoinCommand(conferences),
                new LeaveCommand(conferences),
                new BlockMediaCommand(conferences, true),
                new BlockMediaCommand(conferences, false)));
    }
}
