package io.pinhole.edge.media;

import java.util.Locale;

/** How media gets from the agent to the relay. */
public enum Transport {
    UDP, TCP, TLS, HTTP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
