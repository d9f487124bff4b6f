package io.pinhole.wire.stun;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The value of the address attributes: MAPPED-ADDRESS's layout (RFC 5389 section 15.1), shared by
 * RESPONSE-ORIGIN, OTHER-ADDRESS and RFC 3489's SOURCE-ADDRESS and CHANGED-ADDRESS, and
 * XOR-MAPPED-ADDRESS's (section 15.2), where port and address are XOR'ed with the magic cookie
 * (IPv6: cookie and transaction ID) so that NATs rewriting addresses in payloads leave them alone.
 */
public final class StunAddress {

    static final int IPV4 = 0x01;
    static final int IPV6 = 0x02;

    private StunAddress() {
    }

    /** MAPPED-ADDRESS layout: reserved byte, family, port, 4 or 16 address bytes. */
    public static byte[] encode(InetSocketAddress address) {
        return encode(address, 0, null);
    }

    /** XOR-MAPPED-ADDRESS layout for a message with that cookie and transaction ID. */
    public static byte[] encodeXor(InetSocketAddress address, int cookie, TransactionId id) {
        if (id == null) {
            throw new IllegalArgumentException("XOR-MAPPED-ADDRESS needs the transaction ID");
        }
        return encode(address, cookie, id);
    }

    public static InetSocketAddress decode(byte[] value) throws StunException {
        return decode(value, 0, null);
    }

    public static InetSocketAddress decodeXor(byte[] value, int cookie, TransactionId id) throws StunException {
        if (id == null) {
            throw new IllegalArgumentException("XOR-MAPPED-ADDRESS needs the transaction ID");
        }
        return decode(value, cookie, id);
    }

    /** With a zero cookie and no ID the XOR changes nothing: one code path for both layouts. */
    private static byte[] encode(InetSocketAddress address, int cookie, TransactionId id) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address + ": STUN carries IP addresses");
        }
        byte[] raw = ip.getAddress();
        ByteBuffer out = ByteBuffer.allocate(4 + raw.length);
        out.put((byte) 0).put((byte) (raw.length == 4 ? IPV4 : IPV6))
                .putShort((short) (address.getPort() ^ (cookie >>> 16)));
        xor(raw, cookie, id);
        return out.put(raw).array();
    }

    private static InetSocketAddress decode(byte[] value, int cookie, TransactionId id) throws StunException {
        if (value.length < 4) {
            throw new StunException("address attribute of " + value.length + " bytes, at least 8 expected");
        }
        int family = value[1] & 0xFF;
        int addressLength = family == IPV4 ? 4 : family == IPV6 ? 16 : -1;
        if (addressLength < 0) {
            throw new StunException(String.format("address family 0x%02x is neither IPv4 (1) nor IPv6 (2)", family));
        }
        if (value.length != 4 + addressLength) {
            throw new StunException("address attribute of family " + family + " has " + value.length
                    + " bytes, not " + (4 + addressLength));
        }
        int port = ((value[2] & 0xFF) << 8 | (value[3] & 0xFF)) ^ (cookie >>> 16);
        byte[] raw = new byte[addressLength];
        System.arraycopy(value, 4, raw, 0, addressLength);
        xor(raw, cookie, id);
        try {
            // InetAddress.getByAddress would turn ::ffff:a.b.c.d into an IPv4 address; the family said IPv6
            InetAddress ip = family == IPV4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, -1);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new StunException("address of " + raw.length + " bytes"); // cannot happen: 4 or 16
        }
    }

    /** XOR with cookie then transaction ID, big-endian, as far as the address goes (no-op for cookie 0). */
    private static void xor(byte[] raw, int cookie, TransactionId id) {
        if (cookie == 0 && id == null) {
            return;
        }
        int[] words = {cookie, id.word0(), id.word1(), id.word2()};
        for (int i = 0; i < raw.length; i++) {
            raw[i] ^= (byte) (words[i / 4] >>> (24 - 8 * (i % 4)));
        }
    }
}
