package io.pinhole.relay.sdp;

/** An SDP body we cannot relay; the message becomes the ng error reason. */
public final class SdpException extends Exception {

    public SdpException(String message) {
        super(message, null, false, false);
    }
}
