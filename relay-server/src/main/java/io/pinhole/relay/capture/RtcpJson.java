package io.pinhole.relay.capture;

import io.netty.buffer.Unpooled;
import io.pinhole.relay.media.ReceptionReport;

/**
 * An RTCP compound packet (RFC 3550 §6) as the JSON report Homer files under HEP protocol type 5:
 * the first sender or receiver report with its report blocks ({@code sender_information},
 * {@code report_blocks} with {@code fraction_lost}, {@code packets_lost}, {@code ia_jitter},
 * {@code lsr}, {@code dlsr}), and the SSRC of the SDES that follows it. A pure function: bytes in,
 * text out, null for anything that is not RTCP with a report (APP, BYE alone, garbage). The packet
 * is read by the relay's one RTCP parser, {@link ReceptionReport}; this only writes it out.
 */
public final class RtcpJson {

    private RtcpJson() {
    }

    public static String of(byte[] packet) {
        ReceptionReport report = ReceptionReport.of(Unpooled.wrappedBuffer(packet), 0);
        return report == null ? null : of(report);
    }

    static String of(ReceptionReport report) {
        StringBuilder json = new StringBuilder(160 + report.blocks().size() * 140);
        json.append("{\"ssrc\":").append(report.ssrc()).append(",\"type\":").append(report.type())
                .append(",\"report_count\":").append(report.blocks().size());
        ReceptionReport.SenderInfo sender = report.sender();
        if (sender != null) {
            json.append(",\"sender_information\":{\"ntp_timestamp_sec\":").append(sender.ntpSeconds())
                    .append(",\"ntp_timestamp_usec\":").append((sender.ntpFraction() * 1_000_000L) >>> 32)
                    .append(",\"rtp_timestamp\":").append(sender.rtpTimestamp())
                    .append(",\"packets\":").append(sender.packets())
                    .append(",\"octets\":").append(sender.octets()).append('}');
        }
        json.append(",\"report_blocks\":[");
        String separator = "";
        for (ReceptionReport.Block b : report.blocks()) {
            json.append(separator).append("{\"source_ssrc\":").append(b.ssrc())
                    .append(",\"fraction_lost\":").append(b.fractionLost())
                    .append(",\"packets_lost\":").append(b.lost())
                    .append(",\"highest_seq_no\":").append(b.highestSeq())
                    .append(",\"ia_jitter\":").append(b.jitter())
                    .append(",\"lsr\":").append(b.lsr())
                    .append(",\"dlsr\":").append(b.dlsr()).append('}');
            separator = ",";
        }
        json.append(']');
        if (report.sdesSsrc() >= 0) {
            json.append(",\"sdes_ssrc\":").append(report.sdesSsrc());
        }
        return json.append('}').toString();
    }
}
