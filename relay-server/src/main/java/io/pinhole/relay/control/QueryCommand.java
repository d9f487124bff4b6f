package io.pinhole.relay.control;

import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.Side;
import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.conference.Party;
import io.pinhole.relay.conference.Room;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.ReceptionReport;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code query}: per side and stream, packet/byte/error counts and the latched (else SDP)
 * address, in rtpengine's reply layout ({@code tags → medias → streams}) so one client reads both;
 * each stream also carries our {@code keepalives} (packets, bytes) sent towards that side and its
 * {@code media-transport} now. With {@code room}, or with the call-id and from-tag of a
 * conference party, it answers for the conference instead (see {@link ConferenceReport}).
 */
final class QueryCommand implements NgCommand {

    private final CallRegistry registry;
    private final Conferences conferences;

    QueryCommand(CallRegistry registry, Conferences conferences) {
        this.registry = registry;
        this.conferences = conferences;
    }

    @Override
    public String name() {
        return "query";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        String roomId = r.string("room");
        if (roomId != null) {
            Room room = conferences.room(roomId);
            if (room == null) {
                throw new NgException("unknown room");
            }
            return ConferenceReport.room(room);
        }
        String callId = r.require("call-id");
        String fromTag = r.string("from-tag");
        Party party = fromTag == null ? null : conferences.party(callId, fromTag);
        if (party != null) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("result", "ok");
            reply.put("room", party.room().id());
            reply.put("party", ConferenceReport.party(party));
            return reply;
        }
        Call call = registry.find(callId);
        if (call == null) {
            throw new NgException("Unknown call-id");
        }
        return report(call);
    }

    /** The reply to {@code query}; {@code delete} answers the same, as rtpengine does, so a proxy needs no query first. */
    static Map<String, Object> report(Call call) {
        Map<String, Object> tags = new LinkedHashMap<>();
        long[] totals = new long[3];
        side(call.first(), tags, totals);
        side(call.second(), tags, totals);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("result", "ok");
        reply.put("created", call.createdEpochSeconds());
        reply.put("tags", tags);
        reply.put("totals", Map.of("RTP", stats(totals[0], totals[1], totals[2]), "RTCP", stats(0, 0, 0)));
        return reply;
    }

    private static void side(Side side, Map<String, Object> tags, long[] totals) {
        String tag = side.tag() == null ? "" : side.tag();
        List<Object> medias = new ArrayList<>();
        List<Endpoint> endpoints = side.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get(i);
            if (e == null) {
                continue;
            }
            totals[0] += e.packetsIn();
            totals[1] += e.bytesIn();
            totals[2] += e.dropped();
            InetSocketAddress latched = e.latchedRtp();
            InetSocketAddress shown = latched != null ? latched : e.sdpAddress();
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("local port", e.rtpPort());
            stream.put("endpoint", address(shown));
            stream.put("advertised endpoint", address(e.sdpAddress()));
            stream.put("latched", latched != null ? 1 : 0);
            stream.put("last packet", e.lastPacketNanos() == 0 ? 0 : 1);
            stream.put("stats", stats(e.packetsIn(), e.bytesIn(), e.dropped()));
            stream.put("stats out", stats(e.packetsOut(), e.bytesOut(), 0));
            // ours, not rtpengine's: keepalives the relay sent towards this side, not in "stats out"
            stream.put("keepalives", Map.of("packets", e.keepalives(), "bytes", e.keepaliveBytes()));
            // ours too: how media reaches this side now (udp, or tcp/tls while a connection is bound)
            stream.put("media-transport", e.egress().transport());
            // ours too: the RTCP this side sent, its last report's blocks, and its last RTP packet, so a proxy that
            // moved the media direct but kept RTCP here can tell whether each phone hears the other (hole punching)
            stream.put("rtcp", rtcp(e));
            stream.put("last rtp", e.lastRtpSeq() < 0 ? Map.of() : Map.of("ssrc", e.lastRtpSsrc(), "seq", e.lastRtpSeq()));
            Map<String, Object> media = new LinkedHashMap<>();
            media.put("index", i + 1);
            media.put("type", e.mediaType());
            media.put("protocol", e.protocol());
            media.put("streams", List.of(stream));
            medias.add(media);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("tag", tag);
        t.put("medias", medias);
        tags.put(tag, t);
    }

    private static Map<String, Object> rtcp(Endpoint e) {
        Map<String, Object> rtcp = new LinkedHashMap<>();
        rtcp.put("packets", e.rtcpIn());
        ReceptionReport report = e.lastReport();
        if (report != null) {
            List<Object> blocks = new ArrayList<>();
            for (ReceptionReport.Block b : report.blocks()) {
                blocks.add(Map.of("ssrc", b.ssrc(), "highest seq", b.highestSeq(), "lost", b.lost()));
            }
            rtcp.put("report", Map.of("age ms", Math.max(0, (System.nanoTime() - report.atNanos()) / 1_000_000),
                    "blocks", blocks));
        }
        return rtcp;
    }

    private static Map<String, Object> address(InetSocketAddress a) {
        if (a == null) {
            return Map.of();
        }
        return Map.of("family", a.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4",
                "address", a.getAddress().getHostAddress(), "port", a.getPort());
    }

    private static Map<String, Object> stats(long packets, long bytes, long errors) {
        return Map.of("packets", packets, "bytes", bytes, "errors", errors);
    }
}
