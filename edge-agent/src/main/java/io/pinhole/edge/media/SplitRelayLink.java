package io.pinhole.edge.media;

import io.netty.buffer.ByteBuf;

/**
 * Media for a firewall that lets UDP out but not back in (seed 004: use UDP for whichever direction
 * passes): the phones' packets go up over UDP to the relay's ports for the call side, while a
 * TCP/TLS (or HTTP) link bound by the call's token brings the return media down. The relay accepts
 * the side's UDP while a stream link takes all of its downstream media, so nothing else is needed
 * to tell it: the token binds the stream, the UDP source latches as any phone's does.
 */
final class SplitRelayLink implements RelayLink {

    private final RelayLink up;
    private final RelayLink down;

    SplitRelayLink(RelayLink up, RelayLink down) {
        this.up = up;
        this.down = down;
    }

    RelayLink down() {
        return down;
    }

    @Override
    public void send(int streamId, ByteBuf packet) {
        up.send(streamId, packet);
    }

    @Override
    public void close() {
        up.close();
        down.close();
    }

    @Override
    public String describe() {
        return "up " + up.describe() + ", down " + down.describe();
    }
}
