package io.pinhole.relay.capture;

import java.nio.ByteBuffer;

/**
 * An RTCP compound packet (RFC 3550 §6) as the JSON report Homer files under HEP protocol type 5:
 * the first sender or receiver report with its report blocks ({@code sender_information},
 * {@code report_blocks} with {@code fraction_lost}, {@code packets_lost}, {@code ia_jitter},
 * {@code lsr}, {@code dlsr}), and the SSRC of the SDES that follows it. A pure function: bytes in,
 * text out, null for anything that is not RTCP with a report (APP, BYE alone, garbage).
 */
public final class RtcpJson {

    static final int SR = 200;
    static final int RR = 201;
    static final int SDES = 202;
    private static final int BLOCK = 24;

    private RtcpJson() {
    }

    public static String of(byte[] packet) {
        ByteBuffer in = ByteBuffer.wrap(packet);
        StringBuilder report = null;
        long sdesSsrc = -1;
        while (in.remaining() >= 8) {
            int start = in.position();
            int first = in.get(start) & 0xff;
            int type = in.get(start + 1) & 0xff;
            int length = ((in.getShort(start + 2) & 0xffff) + 1) * 4;
            if (first >> 6 != 2 || length > in.remaining()) {
                return null; // not version 2, or a length running past the datagram: not RTCP we can trust
            }
            int count = first & 0x1f;
            if (report == null && (type == SR || type == RR)) {
                report = report(in, start, type, count, length);
                if (report == null) {
                    return null;
                }
            } else if (type == SDES && sdesSsrc < 0 && count > 0 && length >= 8) {
                sdesSsrc = in.getInt(start + 4) & 0xffffffffL;
            }
            in.position(start + length);
        }
        if (report == null) {
            return null;
        }
        if (sdesSsrc >= 0) {
            report.append(",\"sdes_ssrc\":").append(sdesSsrc);
        }
        return report.append('}').toString();
    }

    private static StringBuilder report(ByteBuffer in, int start, int type, int count, int length) {
        int blocksAt = start + (type == SR ? 28 : 8);
        if (blocksAt + count * BLOCK > start + length) {
            return null; // the header promises more report blocks than the packet holds
        }
        StringBuilder json = new StringBuilder(160 + count * 140);
        json.append("{\"ssrc\":").append(unsigned(in, start + 4)).append(",\"type\":").append(type)
                .append(",\"report_count\":").append(count);
        if (type == SR) {
            long ntpSeconds = unsigned(in, start + 8);
            long ntpFraction = unsigned(in, start + 12);
            json.append(",\"sender_information\":{\"ntp_timestamp_sec\":").append(ntpSeconds)
                    .append(",\"ntp_timestamp_usec\":").append((ntpFraction * 1_000_000L) >>> 32)
                    .append(",\"rtp_timestamp\":").append(unsigned(in, start + 16))
                    .append(",\"packets\":").append(unsigned(in, start + 20))
                    .append(",\"octets\":").append(unsigned(in, start + 24)).append('}');
        }
        json.append(",\"report_blocks\":[");
        for (int i = 0; i < count; i++) {
            int b = blocksAt + i * BLOCK;
            int lost = in.getInt(b + 4) & 0xffffff;
            if ((lost & 0x800000) != 0) {
                lost -= 0x1000000; // 24-bit signed: duplicates can make it negative (RFC 3550 §6.4.1)
            }
            json.append(i == 0 ? "" : ",").append("{\"source_ssrc\":").append(unsigned(in, b))
                    .append(",\"fraction_lost\":").append(in.get(b + 4) & 0xff)
                    .append(",\"packets_lost\":").append(lost)
                    .append(",\"highest_seq_no\":").append(unsigned(in, b + 8))
                    .append(",\"ia_jitter\":").append(unsigned(in, b + 12))
                    .append(",\"lsr\":").append(unsigned(in, b + 16))
                    .append(",\"dlsr\":").append(unsigned(in, b + 20)).append('}');
        }
        return json.append(']');
    }

    private static long unsigned(ByteBuffer in, int at) {
        return in.getInt(at) & 0xffffffffL;
    }
}
