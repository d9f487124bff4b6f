package io.pinhole.proxy.flood;

import io.pinhole.proxy.nat.AddressClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sources the flood guard never limits: the configured blocks (other proxies, trunks, the
 * redirect server) and this proxy's own addresses, as Kamailio's default configuration runs pike
 * only {@code if (src_ip != myself)}. Asked once per source, when the source is first seen.
 */
final class TrustedSources implements Predicate<InetAddress> {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedSources.class);

    private final List<Cidr> blocks;

    TrustedSources(List<Cidr> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param configured   the operator's blocks ({@code pinhole.flood.trusted-sources})
     * @param bindAddress  the SIP bind address: with 0.0.0.0 or :: every address of this host's interfaces is ours
     * @param advertised   the advertised address, when it is a literal
     */
    static TrustedSources of(List<String> configured, String bindAddress, String advertised) {
        List<Cidr> blocks = new ArrayList<>();
        for (String text : configured) {
            if (text.isBlank()) {
                continue;
            }
            try {
                blocks.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pinhole.flood.trusted-sources: " + e.getMessage(), e);
            }
        }
        for (InetAddress own : ownAddresses(bindAddress, advertised)) {
            byte[] bytes = own.getAddress();
            blocks.add(new Cidr(bytes, bytes.length * 8, own.getHostAddress()));
        }
        return new TrustedSources(blocks);
    }

    private static Set<InetAddress> ownAddresses(String bindAddress, String advertised) {
        Set<InetAddress> own = new LinkedHashSet<>();
        AddressClass.literal(advertised).ifPresent(own::add);
        var bound = AddressClass.literal(bindAddress);
        if (bound.isPresent() && !bound.get().isAnyLocalAddress()) {
            own.add(bound.get());
            return own;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                own.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            LOG.warn("flood: cannot list this host's addresses ({}); only the configured trusted sources are exempt", e.toString());
        }
        return own;
    }

    @Override
    public boolean test(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Cidr block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.toString();
    }
}
