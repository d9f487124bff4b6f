package io.pinhole.proxy.media;

/** When calls get a media relay. */
public enum MediaPolicy {
    /** Only when either leg is behind NAT. */
    AUTO,
    /** Every call. */
    ALWAYS,
    /** Never (media goes direct; calls between NATed phones will have no audio). */
    NEVER
}
