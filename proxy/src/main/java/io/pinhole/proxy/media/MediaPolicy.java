package io.pinhole.proxy.media;

/** When calls get a media relay ({@code pinhole.media.policy}). */
public enum MediaPolicy {
    /** When the path planner says so: a leg behind NAT that cannot be punched, or that cannot use UDP. */
    AUTO,
    /** Every call (each leg still over the transport it can use). */
    ALWAYS,
    /** Never (media goes direct; calls between NATed phones will have no audio). */
    NEVER
}
