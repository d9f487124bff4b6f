package io.pinhole.relay.stun;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The STUN Binding requests the relay received lately, by transaction id, with the address each
 * came from: how a client whose firewall drops UDP coming in learns whether its UDP gets out (it
 * sends a request, hears nothing, and asks over TCP, TLS or HTTP whether the relay saw it; seed
 * 004's probe). Bounded: the oldest of {@value #CAPACITY} is forgotten first. A transaction id is
 * 96 random bits, so answering for one reveals nothing to whoever did not send it. Written by the
 * STUN loop, read by the media loops; guarded by its monitor (the STUN port carries little).
 */
public final class UdpSightings {

    static final int CAPACITY = 4096;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int TRANSACTION_ID_BYTES = 12;

    private final Map<String, InetSocketAddress> seen = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InetSocketAddress> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A datagram to the STUN port: remembered when it is an RFC 5389 Binding request. */
    void record(ByteBuf datagram, InetSocketAddress from) {
        int i = datagram.readerIndex();
        if (datagram.readableBytes() < 20 || datagram.getUnsignedShort(i) != BINDING_REQUEST
                || datagram.getInt(i + 4) != MAGIC_COOKIE) {
            return;
        }
        StringBuilder id = new StringBuilder(2 * TRANSACTION_ID_BYTES);
        for (int k = 0; k < TRANSACTION_ID_BYTES; k++) {
            int b = datagram.getUnsignedByte(i + 8 + k);
            id.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        synchronized (this) {
            seen.put(id.toString(), from);
        }
    }

    /**
     * Where the Binding request with this transaction id came from, or null when none arrived
     * (lately).
     *
     * @param transactionId 24 hex digits
     */
    public synchronized InetSocketAddress from(String transactionId) {
        return seen.get(transactionId.toLowerCase(Locale.ROOT));
    }
}
