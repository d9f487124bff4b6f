package io.pinhole.proxy.media;

/** What a probe found out about one thing a leg's network allows: yes, no, or not probed. */
public enum Ability {
    YES, NO, UNKNOWN
}
