package io.pinhole.relay.control;

import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.stats.RelayStatistics;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code statistics}: current and total counters, with rtpengine's key names where it has one. */
final class StatisticsCommand implements NgCommand {

    private final RelayStatistics stats;
    private final Conferences conferences;

    StatisticsCommand(RelayStatistics stats, Conferences conferences) {
        this.stats = stats;
        this.conferences = conferences;
    }

    @Override
    public String name() {
        return "statistics";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("sessionsown", stats.activeCalls());
        current.put("sessionsforeign", 0);
        current.put("sessionstotal", stats.activeCalls());
        current.put("portpairsinuse", stats.portPairsInUse());
        current.put("packetrate", Math.round(stats.packetRate()));
        current.put("byterate", Math.round(stats.byteRate()));
        current.put("errorrate", Math.round(stats.dropRate()));
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("managedsessions", stats.created());
        total.put("timeoutsessions", stats.timedOut());
        total.put("regularterminatedsessions", stats.deleted());
        total.put("packets", stats.packets());
        total.put("bytes", stats.bytes());
        total.put("errors", stats.dropped());
        // ours, not rtpengine's: keepalives towards quiet latched sides, outside packets/bytes
        total.put("keepalives", stats.keepalives());
        total.put("keepalivebytes", stats.keepaliveBytes());
        // ours: the conference mixer's rooms and parties now
        Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("currentstatistics", current);
        statistics.put("totalstatistics", total);
        statistics.put("conferences", Map.of("rooms", conferences.rooms().size(), "parties", conferences.partyCount()));
        return Map.of("result", "ok", "statistics", statistics);
    }
}
