package io.pinhole.edge.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The agent's RFC 3261 section 16 proxy logic, stateless (16.11), as pure functions of a message:
 * requests from the LAN go upstream and requests from upstream go to the phone their Request-URI
 * names, each with the agent's Via on top; responses pop that Via and follow the next one.
 * Dialog-creating requests get two Record-Route entries (RFC 5658), a LAN-facing and an
 * upstream-facing one, so in-dialog requests both ways pass through the agent; the agent knows
 * its own entries by the {@code ph-edge} URI parameter and pops them from Route.
 *
 * <p>Stateless, because a proxy whose only upstream is one reliable connection needs no
 * transaction state: the phone's UDP retransmissions are forwarded as they come (the proxy's
 * stack absorbs them), and the branch is a hash of the incoming branch, so a retransmission, its
 * CANCEL and the ACK of a non-2xx answer get the same branch as the original (16.11).
 */
public final class EdgeRouter {

    static final String MAGIC = "z9hG4bK";
    /** Branch prefix of the agent's own REGISTER transactions. */
    public static final String OWN_BRANCH = MAGIC + "phreg";
    private static final Set<String> DIALOG_CREATING = Set.of("INVITE", "SUBSCRIBE", "REFER");

    private final String id;
    private final Hop lan;
    private final String upstreamTransport;

    /**
     * @param id                short agent id, in branches and Record-Route URIs ({@code ph-edge=id})
     * @param lan               the agent's LAN SIP address (its UDP socket)
     * @param upstreamTransport {@code TLS} or {@code TCP}
     */
    public EdgeRouter(String id, Hop lan, String upstreamTransport) {
        if (!id.matches("[A-Za-z0-9]{1,16}")) {
            throw new IllegalArgumentException("agent id must be 1-16 letters or digits: " + id);
        }
        this.id = id;
        this.lan = lan;
        this.upstreamTransport = upstreamTransport.toUpperCase(Locale.ROOT);
    }

    /**
     * A message from a phone.
     *
     * @param source   the datagram's source
     * @param upstream the local end of the upstream connection (the agent's sent-by there)
     */
    public Routing fromLan(SipMessage m, Hop source, Hop upstream) {
        if (!m.isRequest()) {
            return responseFromLan(m);
        }
        String problem = missing(m);
        if (problem != null) {
            return reject(m, 400, problem, true);
        }
        Via top = Via.parse(m.header("Via"));
        if (!top.host().equals(source.host()) || top.params().containsKey("rport")) {
            top = top.with("received", source.host());
        }
        if (top.params().containsKey("rport")) {
            top = top.with("rport", Integer.toString(source.port()));
        }
        m.replaceFirst("Via", top.toString());
        Routing tooMany = decrementMaxForwards(m, true);
        if (tooMany != null) {
            return tooMany;
        }
        popOwnRoutes(m);
        if (recordRoutes(m)) {
            m.pushHeader("Record-Route", lanRecordRoute());
            m.pushHeader("Record-Route", upstreamRecordRoute(upstream));
        }
        m.pushHeader("Via", "SIP/2.0/" + upstreamTransport + " " + upstream + ";branch=" + branch(top, 'L'));
        return new Routing.ToUpstream(m);
    }

    /** A message from the proxy over the upstream connection. */
    public Routing fromUpstream(SipMessage m, Hop upstream) {
        if (!m.isRequest()) {
            return responseFromUpstream(m);
        }
        String problem = missing(m);
        if (problem != null) {
            return reject(m, 400, problem, false);
        }
        Routing tooMany = decrementMaxForwards(m, false);
        if (tooMany != null) {
            return tooMany;
        }
        popOwnRoutes(m);
        String target = m.header("Route");
        SipUri next;
        try {
            next = SipUri.parse(target != null ? SipUri.uriOf(target) : m.requestUri());
        } catch (SipParseException e) {
            return reject(m, 416, "Unsupported URI Scheme", false);
        }
        if (target == null && next.hasParam("ph-edge")) {
            // addressed to the agent's own binding (the proxy's keepalive probe, say)
            return "OPTIONS".equals(m.method()) ? reject(m, 200, "OK", false)
                    : reject(m, 403, "The edge agent takes no calls itself", false);
        }
        Via top = Via.parse(m.header("Via"));
        if (recordRoutes(m)) {
            m.pushHeader("Record-Route", upstreamRecordRoute(upstream));
            m.pushHeader("Record-Route", lanRecordRoute());
        }
        m.pushHeader("Via", "SIP/2.0/UDP " + lan + ";branch=" + branch(top, 'U') + ";rport");
        return new Routing.ToLan(m, new Hop(next.host(), next.portOr(5060)));
    }

    private Routing responseFromLan(SipMessage m) {
        String topValue = m.header("Via");
        if (topValue == null) {
            return new Routing.Drop("response without Via from the LAN");
        }
        String branch = Via.parse(topValue).branch();
        if (branch == null || !branch.startsWith(ownPrefix() + 'U')) {
            return new Routing.Drop("response from the LAN whose top Via is not the agent's: " + topValue);
        }
        m.popHeader("Via");
        if (m.header("Via") == null) {
            return new Routing.Drop("response from the LAN with no Via below the agent's");
        }
        return new Routing.ToUpstream(m);
    }

    private Routing responseFromUpstream(SipMessage m) {
        String topValue = m.header("Via");
        if (topValue == null) {
            return new Routing.Drop("response without Via from upstream");
        }
        String branch = Via.parse(topValue).branch();
        if (branch != null && branch.startsWith(OWN_BRANCH)) {
            return new Routing.Own(m);
        }
        if (branch == null || !branch.startsWith(ownPrefix() + 'L')) {
            return new Routing.Drop("response from upstream whose top Via is not the agent's: " + topValue);
        }
        m.popHeader("Via");
        String next = m.header("Via");
        if (next == null) {
            return new Routing.Drop("response from upstream with no Via below the agent's");
        }
        Via phone = Via.parse(next);
        return new Routing.ToLan(m, new Hop(phone.responseHost(), phone.responsePort()));
    }

    /** The LAN-facing Record-Route entry: what phones route to. */
    public String lanRecordRoute() {
        return "<sip:" + lan + ";lr;ph-edge=" + id + ">";
    }

    /** The upstream-facing Record-Route entry: what the proxy's side sees. */
    public String upstreamRecordRoute(Hop upstream) {
        return "<sip:" + upstream + ";transport=" + upstreamTransport.toLowerCase(Locale.ROOT) + ";lr;ph-edge=" + id + ">";
    }

    private void popOwnRoutes(SipMessage m) {
        String route;
        while ((route = m.header("Route")) != null && isOwn(route)) {
            m.popHeader("Route");
        }
    }

    private boolean isOwn(String nameAddr) {
        try {
            SipUri uri = SipUri.parse(SipUri.uriOf(nameAddr));
            return id.equals(paramValue(uri.uriParams(), "ph-edge"));
        } catch (SipParseException e) {
            return false;
        }
    }

    private static String paramValue(String params, String name) {
        for (String p : params.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
                return p.substring(eq + 1).strip();
            }
        }
        return null;
    }

    private static boolean recordRoutes(SipMessage m) {
        return DIALOG_CREATING.contains(m.method()) && m.toTag() == null;
    }

    private String ownPrefix() {
        return MAGIC + "ph" + id;
    }

    /** RFC 3261 16.11: the same incoming branch always gives the same outgoing one. */
    String branch(Via incoming, char direction) {
        String seed = incoming.branch() != null && incoming.branch().startsWith(MAGIC)
                ? incoming.branch()
                : incoming.toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((seed + direction).getBytes(StandardCharsets.UTF_8));
            return ownPrefix() + direction + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    private static String missing(SipMessage m) {
        for (String h : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
            if (m.header(h) == null) {
                return "Missing " + h;
            }
        }
        try {
            Via.parse(m.header("Via"));
        } catch (SipParseException e) {
            return "Malformed Via";
        }
        return null;
    }

    private Routing decrementMaxForwards(SipMessage m, boolean fromLan) {
        String value = m.header("Max-Forwards");
        int n = 70;
        if (value != null) {
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                return reject(m, 400, "Malformed Max-Forwards", fromLan);
            }
        }
        if (n <= 0) {
            return reject(m, 483, "Too Many Hops", fromLan);
        }
        m.setHeader("Max-Forwards", Integer.toString(n - 1));
        return null;
    }

    /** A response the agent makes itself, sent back where the request came from (never for ACK). */
    private Routing reject(SipMessage request, int status, String reason, boolean fromLan) {
        if ("ACK".equals(request.method())) {
            return new Routing.Drop("ACK not forwarded: " + reason);
        }
        if (request.header("Via") == null) {
            return new Routing.Drop("request without Via: " + reason);
        }
        SipMessage response = Responses.to(request, status, reason);
        if (!fromLan) {
            return new Routing.ToUpstream(response);
        }
        Via top;
        try {
            top = Via.parse(request.header("Via"));
        } catch (SipParseException e) {
            return new Routing.Drop("request with a malformed Via: " + reason);
        }
        return new Routing.ToLan(response, new Hop(top.responseHost(), top.responsePort()));
    }
}
