package io.pinhole.relay.sdp;

/** RFC 4566 media direction attributes. */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    static Direction ofAttribute(String line) {
        return switch (line) {
            case "a=sendrecv" -> SENDRECV;
            case "a=sendonly" -> SENDONLY;
            case "a=recvonly" -> RECVONLY;
            case "a=inactive" -> INACTIVE;
            default -> null;
        };
    }
}
