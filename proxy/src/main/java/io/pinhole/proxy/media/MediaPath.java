package io.pinhole.proxy.media;

/** How a call's media travels (the values of {@code calls.media_path}). */
public enum MediaPath {
    DIRECT, RELAY_UDP
}
