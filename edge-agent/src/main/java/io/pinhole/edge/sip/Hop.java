package io.pinhole.edge.sip;

/** A host and port as written in a Via's sent-by or a URI. */
public record Hop(String host, int port) {

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
