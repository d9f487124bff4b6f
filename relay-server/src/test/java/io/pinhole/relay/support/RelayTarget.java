package io.pinhole.relay.support;

import java.net.InetSocketAddress;

/** A relay the ng suite runs against: ours in-process, or a real rtpengine. */
public interface RelayTarget extends AutoCloseable {

    InetSocketAddress ng();

    @Override
    void close();
}
