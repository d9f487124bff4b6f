package io.pinhole.relay.support;

import io.pinhole.relay.RelayServer;
import io.pinhole.relay.config.RelayProperties;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Our relay in this JVM, control on an ephemeral port, media in the test range 24000-24999 (below
 * the kernel's ephemeral range, so no client socket of the tests can hold a port a test expects), no
 * STUN server (its default port 3478 is fixed, and other test relays on this host may hold it;
 * the STUN tests pick free ports of their own), and no TCP, TLS or HTTP media port unless a test
 * sets one (the defaults 80 and 443 are fixed too, and the tests run as root may bind them).
 */
public final class OurRelay implements RelayTarget {

    public static final int PORT_MIN = 24000;
    public static final int PORT_MAX = 24999;

    private final RelayServer server;

    public OurRelay() throws InterruptedException {
        this(testDefaults());
    }

    public OurRelay(RelayProperties p) throws InterruptedException {
        this.server = new RelayServer(p);
    }

    public static RelayProperties testDefaults() {
        return RelayProperties.defaults().withControl("127.0.0.1", 0)
                .withPorts(PORT_MIN, PORT_MAX, Duration.ZERO).withMediaThreads(2).withWarmUp(0).withMediaWarmUp(Duration.ZERO).withStun(0, 0, "")
                .withStreams(0, 0).withHttp(0, Duration.ofMillis(100), 64);
    }

    public RelayServer server() {
        return server;
    }

    @Override
    public InetSocketAddress ng() {
        return server.controlAddress();
    }

    @Override
    public void close() {
        server.close();
    }
}
