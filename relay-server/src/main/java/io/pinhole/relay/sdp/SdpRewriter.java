package io.pinhole.relay.sdp;

import io.pinhole.wire.sdp.SdpLines;
import java.util.List;

/**
 * Rewrites an SDP body so that its receiver sends media to the relay. Line-based, like rtpengine:
 * only the lines that carry transport addresses are touched ({@code c=}, {@code m=} ports,
 * {@code a=rtcp}, {@code a=rtcp-mux}, ICE attributes, and {@code o=} when asked); every other line
 * goes out byte for byte, with its own line terminator. A hold address (c=0.0.0.0 or ::) stays
 * as it is, so the receiver still sees the hold. Pure function.
 */
public final class SdpRewriter {

    private SdpRewriter() {
    }

    public static String rewrite(String sdp, RewritePlan plan) {
        SdpLines lines = SdpLines.split(sdp);
        String eol = lines.defaultTerminator();
        StringBuilder out = new StringBuilder(sdp.length() + 128);
        int mediaIndex = -1;
        MediaState state = null;
        for (int i = 0; i < lines.text().size(); i++) {
            String line = lines.text().get(i);
            String term = lines.terminators().get(i);
            if (line.startsWith("m=")) {
                if (state != null) {
                    state.finish(out, plan, eol);
                } else if (plan.ice() == IceMode.FORCE) {
                    // session level (RFC 8839 section 5.3): the relay only answers checks, it makes none
                    out.append("a=ice-lite").append(eol);
                }
                mediaIndex++;
                MediaTarget target = mediaIndex < plan.media().size() ? plan.media().get(mediaIndex) : null;
                state = new MediaState(target);
                out.append(target == null ? line : mediaLine(line, target.rtpPort())).append(term);
                continue;
            }
            MediaTarget target = state == null ? null : state.target;
            boolean relayed = state == null || target != null;
            if (line.startsWith("o=") && plan.replaceOrigin()) {
                out.append(replaceAddress(line, plan)).append(term);
            } else if (line.startsWith("c=") && relayed) {
                out.append(connection(line, plan)).append(term);
            } else if (state != null && target != null && line.startsWith("a=rtcp:")) {
                state.rtcpSeen = true;
                out.append(rtcp(line, target, plan)).append(term);
            } else if (state != null && target != null && line.equals("a=rtcp-mux")) {
                if (target.rtcpMux()) {
                    state.muxSeen = true;
                    out.append(line).append(term);
                }
            } else if (isIce(line) && relayed) {
                continue; // the peer's ICE candidates would lead media around the relay
            } else {
                out.append(line).append(term);
            }
        }
        if (state != null) {
            state.finish(out, plan, eol);
        }
        return out.toString();
    }

    private static final class MediaState {
        final MediaTarget target;
        boolean rtcpSeen;
        boolean muxSeen;

        MediaState(MediaTarget target) {
            this.target = target;
        }

        void finish(StringBuilder out, RewritePlan plan, String eol) {
            if (target == null) {
                return;
            }
            // Attributes we add go at the end of the section; the body may have lacked a final EOL.
            int before = out.length();
            if (!rtcpSeen) {
                ensureEol(out, eol, before);
                out.append("a=rtcp:").append(target.rtcpPort()).append(eol);
            }
            if (target.rtcpMux() && !muxSeen) {
                ensureEol(out, eol, before);
                out.append("a=rtcp-mux").append(eol);
            }
            if (plan.ice() == IceMode.FORCE) {
                ensureEol(out, eol, before);
                out.append("a=ice-ufrag:").append(plan.iceUfrag()).append(eol);
                out.append("a=ice-pwd:").append(plan.icePwd()).append(eol);
                out.append("a=candidate:1 1 UDP 2130706431 ").append(plan.address()).append(' ')
                        .append(target.rtpPort()).append(" typ host").append(eol);
                if (!target.rtcpMux()) {
                    out.append("a=candidate:1 2 UDP 2130706430 ").append(plan.address()).append(' ')
                            .append(target.rtcpPort()).append(" typ host").append(eol);
                }
            }
        }

        private static void ensureEol(StringBuilder out, String eol, int at) {
            if (at == out.length() && at > 0 && out.charAt(at - 1) != '\n') {
                out.append(eol);
            }
        }
    }

    static boolean isIce(String line) {
        return line.startsWith("a=candidate:") || line.startsWith("a=ice-ufrag:") || line.startsWith("a=ice-pwd:")
                || line.startsWith("a=ice-options:") || line.equals("a=ice-lite") || line.equals("a=end-of-candidates")
                || line.startsWith("a=remote-candidates:") || line.equals("a=ice-mismatch");
    }

    private static String mediaLine(String line, int port) {
        int sp1 = line.indexOf(' ');
        int sp2 = line.indexOf(' ', sp1 + 1);
        if (sp1 < 0 || sp2 < 0) {
            return line;
        }
        String old = line.substring(sp1 + 1, sp2);
        if (old.equals("0") || old.startsWith("0/")) {
            return line;
        }
        int slash = old.indexOf('/');
        String suffix = slash < 0 ? "" : old.substring(slash);
        return line.substring(0, sp1 + 1) + port + suffix + line.substring(sp2);
    }

    private static String connection(String line, RewritePlan plan) {
        List<String> t = List.of(line.substring(2).split(" "));
        if (t.size() == 3) {
            String host = t.get(2);
            int slash = host.indexOf('/');
            String bare = slash < 0 ? host : host.substring(0, slash);
            if (bare.equals("0.0.0.0") || bare.equals("::")) {
                return line;
            }
        }
        return "c=IN " + plan.family() + " " + plan.address();
    }

    private static String replaceAddress(String origin, RewritePlan plan) {
        String[] t = origin.split(" ");
        if (t.length != 6) {
            return origin;
        }
        t[4] = plan.family();
        t[5] = plan.address();
        return String.join(" ", t);
    }

    private static String rtcp(String line, MediaTarget target, RewritePlan plan) {
        String rest = line.substring("a=rtcp:".length());
        boolean withAddress = rest.indexOf(' ') >= 0;
        return "a=rtcp:" + target.rtcpPort() + (withAddress ? " IN " + plan.family() + " " + plan.address() : "");
    }
}
