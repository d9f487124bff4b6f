package io.pinhole.proxy.sip;

import gov.nist.javax.sip.SipStackExt;
import io.pinhole.sip.SipEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.SipProvider;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The way out for everything that sends on its own: our address and ports (for Via and Contact)
 * and the providers of the running stack. Built before the request handlers, which need it, and
 * filled by {@link SipServer} when it opens the stack, which needs the handlers: the handlers
 * depend on this small thing and not on the server, so the wiring has no cycle.
 */
public final class SipSender {

    private static final Logger LOG = LoggerFactory.getLogger(SipSender.class);

    private final SipProperties properties;
    private final String advertisedHost;
    private volatile SipEndpoint endpoint;

    public SipSender(SipProperties properties) {
        this.properties = properties;
        this.advertisedHost = advertisedHost(properties);
    }

    private static String advertisedHost(SipProperties properties) {
        if (!properties.advertisedAddress().isBlank()) {
            return properties.advertisedAddress();
        }
        if (!properties.bindAddress().equals("0.0.0.0") && !properties.bindAddress().equals("::")) {
            return properties.bindAddress();
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (var address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces: {}", e.toString());
        }
        return "127.0.0.1";
    }

    /** The address other hosts reach us on (our Via and Contact). */
    public String advertisedHost() {
        return advertisedHost;
    }

    /** Our port for a transport. */
    public int port(String transport) {
        return "TLS".equalsIgnoreCase(transport) ? properties.tlsPort() : properties.port();
    }

    /** The running stack, for the RI's extensions (the client-side digest helper); null while stopped. */
    public SipStackExt stack() {
        SipEndpoint current = endpoint;
        return current == null ? null : current.stack();
    }

    /** The provider that sends over a transport (UDP, TCP, TLS). */
    public SipProvider provider(String transport) {
        SipEndpoint current = endpoint;
        if (current == null) {
            throw new IllegalStateException("no " + transport + " listening point");
        }
        return current.provider(transport);
    }

    /** The stack {@link SipServer} opened; null when it closed it. */
    void use(SipEndpoint opened) {
        endpoint = opened;
    }

    SipEndpoint endpoint() {
        return endpoint;
    }
}
