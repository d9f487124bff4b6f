package io.pinhole.relay.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.RtcpTap;
import io.pinhole.wire.hep.HepExporter;
import io.pinhole.wire.hep.HepPacket;
import io.pinhole.wire.hep.HepTarget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RTCP summaries for SIP capture: each RTCP report a side sends through the relay goes to the HEP
 * collector as Homer's JSON ({@link RtcpJson}, HEP protocol type 5), with the call's Call-ID as the
 * correlation id, so Homer shows a call's quality (loss, jitter) next to its SIP ladder, as
 * rtpengine's {@code homer} option does. Runs on the call's event loop: it copies the packet, writes
 * a few hundred bytes of JSON and queues the HEP packet for the exporter's own thread.
 */
public final class RtcpCapture implements AutoCloseable {

    private final HepTarget target;
    private final InetAddress relayAddress;
    private final HepExporter exporter;
    private final AtomicLong skipped = new AtomicLong();

    /** @param relayAddress the relay's media address as phones send to it (the HEP destination) */
    public RtcpCapture(HepTarget target, InetAddress relayAddress) {
        this.target = target;
        this.relayAddress = relayAddress;
        this.exporter = new HepExporter(target, "RTCP capture", "a summary of every RTCP report relayed");
    }

    /** What the endpoints of call {@code callId} report to. */
    public RtcpTap tap(String callId) {
        return (from, rtcp) -> report(callId, from, rtcp);
    }

    private void report(String callId, Endpoint from, ByteBuf rtcp) {
        try {
            String json = RtcpJson.of(ByteBufUtil.getBytes(rtcp));
            InetSocketAddress source = source(from);
            if (json == null || source == null) {
                skipped.incrementAndGet();
                return;
            }
            Instant now = Instant.now();
            HepPacket.Captured captured = new HepPacket.Captured(source.getAddress(), source.getPort(), relayAddress,
                    from.rtcpMux() ? from.rtpPort() : from.rtcpPort(), false,
                    now.getEpochSecond() * 1_000_000L + now.getNano() / 1000, callId,
                    json.getBytes(StandardCharsets.US_ASCII));
            exporter.send(HepPacket.encode(captured, HepPacket.TYPE_RTCP_JSON, target.captureId(), target.password()));
        } catch (RuntimeException e) {
            // e.g. an IPv6 phone on an IPv4 relay (HEP wants one family): one report less, never a media problem
            skipped.incrementAndGet();
        }
    }

    /** Where the side's RTCP came from: its latched RTCP (or muxed RTP) source, else its SDP address. */
    private static InetSocketAddress source(Endpoint from) {
        InetSocketAddress latched = from.rtcpMux() || from.latchedRtcp() == null ? from.latchedRtp() : from.latchedRtcp();
        if (latched != null) {
            return latched;
        }
        return from.rtcpMux() || from.sdpRtcpAddress() == null ? from.sdpAddress() : from.sdpRtcpAddress();
    }

    public long sent() {
        return exporter.sent();
    }

    /** Reports not sent: not a report, no address known, or not encodable. */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public void close() {
        exporter.close();
    }
}
