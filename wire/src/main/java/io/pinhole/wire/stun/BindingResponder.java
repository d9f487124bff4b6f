package io.pinhole.wire.stun;

import static io.pinhole.wire.stun.StunAttributeType.CHANGED_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.CHANGE_REQUEST;
import static io.pinhole.wire.stun.StunAttributeType.ERROR_CODE;
import static io.pinhole.wire.stun.StunAttributeType.MAPPED_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.MESSAGE_INTEGRITY;
import static io.pinhole.wire.stun.StunAttributeType.NONCE;
import static io.pinhole.wire.stun.StunAttributeType.OTHER_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.REALM;
import static io.pinhole.wire.stun.StunAttributeType.RESPONSE_ORIGIN;
import static io.pinhole.wire.stun.StunAttributeType.SOFTWARE;
import static io.pinhole.wire.stun.StunAttributeType.SOURCE_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.UNKNOWN_ATTRIBUTES;
import static io.pinhole.wire.stun.StunAttributeType.USERNAME;
import static io.pinhole.wire.stun.StunAttributeType.XOR_MAPPED_ADDRESS;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of a STUN server to one Binding request, as a pure function: request, where it came
 * from, which local socket got it, and (for RFC 5780 behaviour discovery) the server's other
 * address and port in; the response bytes and the socket to send them from out. No state, no
 * authentication (the Binding usage needs none), so it runs on any thread.
 *
 * <p>What it answers:
 * <ul>
 *   <li>RFC 5389 request: success with XOR-MAPPED-ADDRESS, SOFTWARE and FINGERPRINT. With an
 *       {@link Alternate} (a behaviour-discovery server) also MAPPED-ADDRESS and RESPONSE-ORIGIN
 *       (RFC 5780 section 6.1), and OTHER-ADDRESS when there is another address <em>and</em>
 *       another port (section 7.4: never without a second IP address).</li>
 *   <li>RFC 3489 request (no magic cookie, RFC 5389 section 12.2): MAPPED-ADDRESS instead of
 *       XOR-MAPPED-ADDRESS, the cookie field echoed, and RFC 3489's own names for the other two,
 *       SOURCE-ADDRESS and CHANGED-ADDRESS; no SOFTWARE or FINGERPRINT, which old clients choke
 *       on (stund's reads 0x8022 as a SERVER-NAME whose length must be a multiple of 4).</li>
 *   <li>CHANGE-REQUEST (only understood with an {@link Alternate}): the response leaves from the
 *       other port and/or address as RFC 5780 table 1 says. A change the server cannot make
 *       (change-IP with one address, change-port with one port) gets 420 naming CHANGE-REQUEST,
 *       as section 6.1 requires, rather than an answer from the unchanged socket, which the
 *       client would misread as its NAT letting it through. Unlike the blanket rule of section 6
 *       (420 for any CHANGE-REQUEST on a one-address server) a change-port is still honoured on
 *       one address: the port really changes, so the client's filtering test stays true; and a
 *       CHANGE-REQUEST asking for no change, which RFC 3489 clients send with every request, is
 *       answered as if it were absent.</li>
 *   <li>400 for a request that parses but carries a known attribute with an impossible value
 *       (MESSAGE-INTEGRITY not 20 bytes, USERNAME of 513 bytes or more, CHANGE-REQUEST not 4);
 *       420 with UNKNOWN-ATTRIBUTES for comprehension-required attributes it does not know,
 *       listed once each, at most 32 (ICE's PRIORITY and USE-CANDIDATE among them: this server
 *       does no ICE connectivity checks, which would need MESSAGE-INTEGRITY in the answer).
 *       Attributes after MESSAGE-INTEGRITY are ignored (RFC 5389 section 15.4). Errors leave from
 *       the socket the request came in on.</li>
 *   <li>No answer for indications (keep-alives), responses and methods other than Binding.</li>
 * </ul>
 */
public final class BindingResponder {

    private static final int MAX_USERNAME_BYTES = 512;
    /**
     * UNKNOWN-ATTRIBUTES lists at most this many: a real client sends a handful, and a crafted
     * request of 500 distinct ones would otherwise cost a quadratic de-duplication per datagram.
     */
    static final int MAX_UNKNOWN_LISTED = 32;
    private static final BindingAnswer.Ignore NOT_BINDING = new BindingAnswer.Ignore("method other than Binding");
    private static final BindingAnswer.Ignore INDICATION = new BindingAnswer.Ignore("Binding indication");
    private static final BindingAnswer.Ignore RESPONSE = new BindingAnswer.Ignore("a response, not a request");

    private final StunAttribute software;

    /** @param software the SOFTWARE value (RFC 5389 section 15.10: fewer than 128 characters), empty for none */
    public BindingResponder(String software) {
        if (software.length() >= 128) {
            throw new IllegalArgumentException("SOFTWARE must have fewer than 128 characters, had "
                    + software.length());
        }
        this.software = software.isEmpty() ? null
                : new StunAttribute(SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes the datagram first; a datagram that is not STUN is {@link BindingAnswer.Malformed}. */
    public BindingAnswer answer(ByteBuffer datagram, boolean acceptRfc3489, InetSocketAddress source,
                                InetSocketAddress local, Alternate alternate) {
        StunMessage request;
        try {
            request = StunCodec.decode(datagram, acceptRfc3489);
        } catch (StunException e) {
            return new BindingAnswer.Malformed(e.getMessage());
        }
        return answer(request, source, local, alternate);
    }

    /**
     * @param source    where the request came from: what the client is told about itself
     * @param local     the socket it arrived on ("Da:Dp"); a wildcard address is left out of
     *                  RESPONSE-ORIGIN, as the server does not know which address the client used
     * @param alternate the server's other address and port for RFC 5780 ({@link Alternate#NONE}
     *                  for a single socket), or null for the plain RFC 5389 Binding usage (a
     *                  media port), where CHANGE-REQUEST is an unknown attribute
     */
    public BindingAnswer answer(StunMessage request, InetSocketAddress source, InetSocketAddress local,
                                Alternate alternate) {
        if (request.method() != StunMessage.BINDING) {
            return NOT_BINDING;
        }
        switch (request.messageClass()) {
            case REQUEST:
                break;
            case INDICATION:
                return INDICATION;
            default:
                return RESPONSE;
        }
        boolean discovery = alternate != null;
        List<Integer> unknown = new ArrayList<>(0);
        String bad = null;
        StunAttribute change = null;
        for (StunAttribute a : request.attributes()) {
            int type = a.type();
            if (type == MESSAGE_INTEGRITY) {
                if (a.length() != 20 && bad == null) {
                    bad = "MESSAGE-INTEGRITY of " + a.length() + " bytes, not 20";
                }
                break; // RFC 5389 section 15.4: what follows it (but FINGERPRINT) is ignored
            }
            if (type == USERNAME && a.length() > MAX_USERNAME_BYTES && bad == null) {
                bad = "USERNAME of " + a.length() + " bytes, more than 512";
            } else if (type == CHANGE_REQUEST && discovery) {
                change = change == null ? a : change;
            } else if (StunAttributeType.comprehensionRequired(type) && !understood(type)
                    && unknown.size() < MAX_UNKNOWN_LISTED && !unknown.contains(type)) {
                unknown.add(type);
            }
        }
        if (bad != null) {
            return error(request, local, ErrorCode.BAD_REQUEST, "Bad Request: " + bad, List.of());
        }
        if (!unknown.isEmpty()) {
            return error(request, local, ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute", unknown);
        }
        ChangeRequest flags = new ChangeRequest(false, false);
        if (change != null) {
            try {
                flags = ChangeRequest.decode(change.value());
            } catch (StunException e) {
                return error(request, local, ErrorCode.BAD_REQUEST, "Bad Request: " + e.getMessage(), List.of());
            }
            if ((flags.changeIp() && alternate.address() == null) || (flags.changePort() && alternate.port() == 0)) {
                return error(request, local, ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute", List.of(CHANGE_REQUEST));
            }
        }
        InetSocketAddress from = new InetSocketAddress(
                flags.changeIp() ? alternate.address() : local.getAddress(),
                flags.changePort() ? alternate.port() : local.getPort());
        InetSocketAddress other = discovery && alternate.address() != null && alternate.port() != 0
                ? new InetSocketAddress(alternate.address(), alternate.port()) : null;
        boolean originKnown = !from.getAddress().isAnyLocalAddress();

        List<StunAttribute> attributes = new ArrayList<>(6);
        boolean classic = request.rfc3489();
        if (classic) {
            attributes.add(new StunAttribute(MAPPED_ADDRESS, StunAddress.encode(source)));
            if (discovery && originKnown) {
                attributes.add(new StunAttribute(SOURCE_ADDRESS, StunAddress.encode(from)));
            }
            if (other != null) {
                attributes.add(new StunAttribute(CHANGED_ADDRESS, StunAddress.encode(other)));
            }
        } else {
            attributes.add(new StunAttribute(XOR_MAPPED_ADDRESS,
                    StunAddress.encodeXor(source, request.cookie(), request.transactionId())));
            if (discovery) {
                attributes.add(new StunAttribute(MAPPED_ADDRESS, StunAddress.encode(source)));
                if (originKnown) {
                    attributes.add(new StunAttribute(RESPONSE_ORIGIN, StunAddress.encode(from)));
                }
                if (other != null) {
                    attributes.add(new StunAttribute(OTHER_ADDRESS, StunAddress.encode(other)));
                }
            }
            if (software != null) {
                attributes.add(software);
            }
        }
        StunMessage response = new StunMessage(StunMessage.type(StunMessage.BINDING, StunClass.SUCCESS_RESPONSE),
                request.cookie(), request.transactionId(), attributes);
        return new BindingAnswer.Reply(StunCodec.encode(response, !classic), from, 0);
    }

    /** Known to this server: read, or (authentication, response-only attributes) knowingly ignored. */
    private static boolean understood(int type) {
        return type == MAPPED_ADDRESS || type == SOURCE_ADDRESS || type == CHANGED_ADDRESS || type == USERNAME
                || type == ERROR_CODE || type == UNKNOWN_ATTRIBUTES || type == REALM || type == NONCE
                || type == XOR_MAPPED_ADDRESS;
    }

    private BindingAnswer error(StunMessage request, InetSocketAddress local, int code, String reason,
                                List<Integer> unknown) {
        boolean classic = request.rfc3489();
        List<StunAttribute> attributes = new ArrayList<>(3);
        attributes.add(new StunAttribute(ERROR_CODE, new ErrorCode(code, reason).encode(classic)));
        if (!unknown.isEmpty()) {
            attributes.add(new StunAttribute(UNKNOWN_ATTRIBUTES, UnknownAttributes.encode(unknown, classic)));
        }
        if (!classic && software != null) {
            attributes.add(software);
        }
        StunMessage response = new StunMessage(StunMessage.type(StunMessage.BINDING, StunClass.ERROR_RESPONSE),
                request.cookie(), request.transactionId(), attributes);
        return new BindingAnswer.Reply(StunCodec.encode(response, !classic), local, code);
    }
}
