package io.pinhole.proxy.edge;

import io.pinhole.proxy.media.MediaTransport;

import java.util.Objects;

/**
 * What an edge agent said of itself in its {@code Pinhole-Edge} header: the transport it carries
 * its phones' media to the relay over, what its probe found of UDP, and its id for its lifetime.
 *
 * @param media  udp, tcp, tls or http
 * @param udpOut UDP from the agent reaches the Internet
 * @param udpIn  UDP sent to the agent gets in
 * @param id     the agent's UUID: a newer connection with the same id replaces the older one
 * @param up     what carries its phones' media up to the relay: {@code media}, or UDP when the
 *               agent's firewall lets UDP out but not in and {@code media} brings only the return
 *               media down ({@code up=udp})
 */
public record EdgeInfo(MediaTransport media, boolean udpOut, boolean udpIn, String id, MediaTransport up) {

    public EdgeInfo {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(id, "id");
        up = up == null ? media : up;
    }

    /** An agent whose media goes both ways over {@code media}. */
    public EdgeInfo(MediaTransport media, boolean udpOut, boolean udpIn, String id) {
        this(media, udpOut, udpIn, id, media);
    }
}
