package io.pinhole.proxy.conference;

import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.call.CallEvents;
import io.pinhole.proxy.call.ConferenceEntry;
import io.pinhole.proxy.call.ConferenceRecords;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.directory.DirectoryRepository;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.sip.DialogEvents;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipSender;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How conference rooms are put together. Two seams into the call path: the {@link ConferenceEntry}
 * the INVITE handler and CANCEL handler are given, and the {@link PartyDialogs} that stands in
 * front of the call layer's dialog events (primary {@link DialogEvents}).
 */
@Configuration(proxyBeanMethods = false)
public class ConferenceConfiguration {

    /**
     * Where ng replies for parties are acted on and the lobby is polled: never the ng receiver
     * thread (every relayed call shares it) nor a SIP thread (a BYE over TCP may wait).
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService conferenceExecutor() {
        return Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "conference");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    RoomStore roomStore(JdbcClient jdbc) {
        return new RoomStore(jdbc);
    }

    @Bean
    RoomDirectory roomDirectory(RoomStore store, DatabaseStatus database) {
        return new RoomDirectory(store, database);
    }

    @Bean
    RoomAdmin roomAdmin(RoomStore store, RoomDirectory rooms, DirectoryRepository domains) {
        return new RoomAdmin(store, rooms, domains);
    }

    @Bean
    Parties conferenceParties(RelayPool relays) {
        return new Parties(relays);
    }

    @Bean
    ConferenceMetrics conferenceMetrics(MeterRegistry meters, Parties parties) {
        return new ConferenceMetrics(meters, parties);
    }

    @Bean
    PartyMessages partyMessages(SipFactories factories, SipSender sender) {
        return new PartyMessages(factories, sender);
    }

    @Bean
    PartyEnd partyEnd(Parties parties, ConferenceRecords cdrs, ConferenceMetrics metrics, PartyMessages messages,
                      Clock clock, ScheduledExecutorService conferenceExecutor) {
        return new PartyEnd(parties, cdrs, metrics, messages, clock, conferenceExecutor);
    }

    @Bean
    LobbyWatch lobbyWatch(ConferenceProperties properties, Clock clock, ScheduledExecutorService conferenceExecutor,
                          PartyEnd end, ConferenceMetrics metrics) {
        return new LobbyWatch(properties, clock, conferenceExecutor, end, metrics);
    }

    @Bean
    ConferenceEntry conferenceEntry(RoomDirectory rooms, ConferenceProperties properties, Parties parties,
                                    RelayPool relays, PartyMessages messages, Responder responder, PartyEnd end,
                                    LobbyWatch lobby, ConferenceMetrics metrics, Clock clock,
                                    ScheduledExecutorService conferenceExecutor) {
        return new ConferenceJoin(rooms, properties, parties, relays, messages, responder, end, lobby, metrics, clock,
                conferenceExecutor);
    }

    /** The call layer's dialog events with the parties' dialogs taken out in front. */
    @Bean
    @Primary
    DialogEvents conferenceDialogs(CallEvents calls, Parties parties, PartyEnd end, PartyMessages messages,
                                   Responder responder, RoomDirectory rooms,
                                   ScheduledExecutorService conferenceExecutor) {
        return new PartyDialogs(calls, parties, end, messages, responder, rooms, conferenceExecutor);
    }

    @Bean
    LiveRooms liveRooms(Parties parties, PartyEnd end) {
        return new LiveRooms(parties, end);
    }
}
