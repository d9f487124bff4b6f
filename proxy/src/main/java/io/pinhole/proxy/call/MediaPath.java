package io.pinhole.proxy.call;

/** How a call's media travels (the values of {@code calls.media_path}). */
public enum MediaPath {
    DIRECT, RELAY_UDP
}
