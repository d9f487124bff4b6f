package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;

/**
 * A TCP/TLS connection bound to a side (see the {@code tcp} package), as the control thread sees
 * it: it can be told to carry one more of the side's streams, and closed. Called on the control
 * thread only.
 */
public interface StreamConnection {

    /**
     * The side has a new stream (a re-offer added an m= line): carry its media too, from the moment
     * this returns (the ng reply that follows tells the far side where to send it).
     */
    void carry(int mediaIndex, Endpoint endpoint);

    /** Closes the connection (its call is gone); what it carried goes back to UDP as it closes. */
    void close();
}
