package io.pinhole.relay.control;

import io.pinhole.relay.stats.RelayStatistics;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code statistics}: current and total counters, with rtpengine's key names where it has one. */
final class StatisticsCommand implements NgCommand {

    private final RelayStatistics stats;

    StatisticsCommand(RelayStatistics stats) {
        this.stats = stats;
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
        return Map.of("result", "ok", "statistics", Map.of("currentstatistics", current, "totalstatistics", total));
    }
}
