package io.pinhole.proxy.nat;

import io.pinhole.wire.net.IpLiteral;

import java.net.InetAddress;
import java.util.Optional;

/** Which addresses cannot be reached from the public Internet. */
public final class AddressClass {

    private AddressClass() {
    }

    /** The literal as an address, without DNS (host names give empty); a URI's brackets are allowed. */
    public static Optional<InetAddress> literal(String host) {
        return Optional.ofNullable(IpLiteral.parseHost(host));
    }

    /**
     * RFC 1918, CGNAT 100.64/10 (RFC 6598), link-local, loopback, IPv6 ULA fc00::/7 and
     * link-local fe80::/10: addresses a NAT or a LAN hides.
     */
    public static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            return a0 == 10
                    || (a0 == 172 && a1 >= 16 && a1 <= 31)
                    || (a0 == 192 && a1 == 168)
                    || (a0 == 100 && a1 >= 64 && a1 <= 127)
                    || (a0 == 169 && a1 == 254)
                    || a0 == 127;
        }
        int first = b[0] & 0xff;
        return (first & 0xfe) == 0xfc || (first == 0xfe && (b[1] & 0xc0) == 0x80) || address.isLoopbackAddress();
    }
}
