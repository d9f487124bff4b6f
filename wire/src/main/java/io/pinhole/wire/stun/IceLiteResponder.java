package io.pinhole.wire.stun;

import static io.pinhole.wire.stun.StunAttributeType.FINGERPRINT;
import static io.pinhole.wire.stun.StunAttributeType.MESSAGE_INTEGRITY;
import static io.pinhole.wire.stun.StunAttributeType.PRIORITY;
import static io.pinhole.wire.stun.StunAttributeType.USERNAME;
import static io.pinhole.wire.stun.StunAttributeType.USE_CANDIDATE;
import static io.pinhole.wire.stun.StunAttributeType.XOR_MAPPED_ADDRESS;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer of an ICE-lite agent (RFC 8445 sections 2.5 and 7.3) to a connectivity check, as a
 * pure function. A check is a Binding request with USERNAME {@code <our ufrag>:<peer ufrag>},
 * MESSAGE-INTEGRITY keyed by our password (short-term credential) and FINGERPRINT; a good one is
 * answered with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT. A lite agent is always
 * the controlled one and keeps no check list, so ICE-CONTROLLING, ICE-CONTROLLED and
 * USE-CANDIDATE change nothing here: the media that follows the check latches as any media does.
 *
 * <p>What it answers:
 * <ul>
 *   <li>{@link #isCheck} false (neither USERNAME nor MESSAGE-INTEGRITY): not a check; the caller
 *       answers it as a plain Binding request, as before ICE.</li>
 *   <li>401 (RFC 5389 section 10.1.2, RFC 8445 section 7.3) for a USERNAME that does not start
 *       with our ufrag and a colon, or a MESSAGE-INTEGRITY our password did not produce: the
 *       sender holds other credentials (another call's, an old one's), so it learns nothing.</li>
 *   <li>400 for a check without USERNAME, MESSAGE-INTEGRITY or FINGERPRINT; 420 for other
 *       comprehension-required attributes than USERNAME, PRIORITY and USE-CANDIDATE.</li>
 * </ul>
 * Errors carry no MESSAGE-INTEGRITY (there is no shared key to trust), so the phone drops them;
 * that is what it should do with a check that reached the wrong agent.
 */
public final class IceLiteResponder {

    private IceLiteResponder() {
    }

    /** Whether this request is meant as an ICE check (signed), not a plain Binding request. */
    public static boolean isCheck(StunMessage request) {
        return request.attribute(USERNAME) != null || request.attribute(MESSAGE_INTEGRITY) != null;
    }

    /**
     * @param datagram the request's bytes (position and limit as decoded), for the HMAC
     * @param request  {@code datagram} decoded: an RFC 5389 Binding request for which {@link #isCheck} holds
     * @param source   where it came from: what XOR-MAPPED-ADDRESS tells
     * @param local    the socket it arrived on: the answer leaves from it
     * @param ufrag    our username fragment for this leg
     * @param key      {@link StunIntegrity#key} of our password for this leg
     */
    public static BindingAnswer answer(ByteBuffer datagram, StunMessage request, InetSocketAddress source,
                                       InetSocketAddress local, String ufrag, byte[] key) {
        StunAttribute username = request.attribute(USERNAME);
        if (username == null || request.attribute(MESSAGE_INTEGRITY) == null
                || request.attribute(FINGERPRINT) == null) {
            return error(request, local, ErrorCode.BAD_REQUEST, "Bad Request: an ICE check needs USERNAME,"
                    + " MESSAGE-INTEGRITY and FINGERPRINT", List.of());
        }
        List<Integer> unknown = new ArrayList<>(0);
        for (StunAttribute a : request.attributes()) {
            int type = a.type();
            if (type == MESSAGE_INTEGRITY) {
                break; // RFC 5389 section 15.4: what follows it (but FINGERPRINT) is ignored
            }
            if (StunAttributeType.comprehensionRequired(type) && type != USERNAME && type != PRIORITY
                    && type != USE_CANDIDATE && unknown.size() < BindingResponder.MAX_UNKNOWN_LISTED
                    && !unknown.contains(type)) {
                unknown.add(type);
            }
        }
        if (!ourUsername(username.valueNoCopy(), ufrag) || !StunIntegrity.verify(datagram, key)) {
            return error(request, local, ErrorCode.UNAUTHORIZED, "Unauthorized", List.of());
        }
        if (!unknown.isEmpty()) {
            return error(request, local, ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute", unknown);
        }
        StunMessage response = StunMessage.of(StunMessage.BINDING, StunClass.SUCCESS_RESPONSE,
                request.transactionId(), List.of(new StunAttribute(XOR_MAPPED_ADDRESS,
                        StunAddress.encodeXor(source, request.cookie(), request.transactionId()))));
        return new BindingAnswer.Reply(StunIntegrity.encodeSigned(response, key), local, 0);
    }

    /** RFC 8445 section 7.2.2: USERNAME is the receiver's ufrag, a colon, the sender's ufrag. */
    static boolean ourUsername(byte[] username, String ufrag) {
        byte[] ours = ufrag.getBytes(StandardCharsets.US_ASCII);
        if (username.length <= ours.length || username[ours.length] != ':') {
            return false;
        }
        for (int i = 0; i < ours.length; i++) {
            if (username[i] != ours[i]) {
                return false;
            }
        }
        return true;
    }

    private static BindingAnswer error(StunMessage request, InetSocketAddress local, int code, String reason,
                                       List<Integer> unknown) {
        List<StunAttribute> attributes = new ArrayList<>(2);
        attributes.add(new StunAttribute(StunAttributeType.ERROR_CODE, new ErrorCode(code, reason).encode(false)));
        if (!unknown.isEmpty()) {
            attributes.add(new StunAttribute(StunAttributeType.UNKNOWN_ATTRIBUTES,
                    UnknownAttributes.encode(unknown, false)));
        }
        StunMessage response = StunMessage.of(StunMessage.BINDING, StunClass.ERROR_RESPONSE,
                request.transactionId(), attributes);
        return new BindingAnswer.Reply(StunCodec.encode(response, true), local, code);
    }
}
