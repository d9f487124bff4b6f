package io.pinhole.proxy.flood;

import io.pinhole.proxy.nat.AddressClass;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a
 * block of one. Built once from the configuration; {@link #contains} compares bytes only.
 */
record Cidr(byte[] network, int prefix, String text) {

    /** @throws IllegalArgumentException for anything that is not an IP literal with an optional prefix length */
    static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = AddressClass.literal(host)
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or block: '" + text + "'"));
        byte[] bytes = address.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
            }
        }
        return new Cidr(masked(bytes, prefix), prefix, trimmed);
    }

    boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] bytes) {
        if (bytes.length != network.length) {
            return false; // an IPv4 block holds no IPv6 address (Java hands IPv4-mapped ones over as IPv4)
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || ((bytes[full] ^ network[full]) & (0xff << (8 - rest))) == 0;
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        byte[] out = Arrays.copyOf(bytes, bytes.length);
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
