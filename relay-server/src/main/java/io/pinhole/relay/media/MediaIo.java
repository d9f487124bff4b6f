package io.pinhole.relay.media;

/**
 * What the media sockets ({@code pinhole.relay.media-io}) and the TCP/TLS/HTTP media ports on the
 * same loops run on: Linux epoll, io_uring, or io_uring when this kernel and JVM allow it and
 * epoll otherwise. NIO is never chosen, only fallen back to when no native transport loads.
 */
public enum MediaIo {
    EPOLL,
    IO_URING,
    AUTO;

    /** The system property that also names it in Spring configuration. */
    public static final String PROPERTY = "pinhole.relay.media-io";

    /**
     * {@code epoll}, {@code io_uring} (or {@code io-uring}, {@code iouring}) or {@code auto}, in any
     * case, as Spring's relaxed binding reads it.
     *
     * @throws IllegalArgumentException naming the property for anything else
     */
    public static MediaIo parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
        return switch (v) {
            case "epoll" -> EPOLL;
            case "iouring" -> IO_URING;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException(PROPERTY + " must be epoll, io_uring or auto, was '"
                    + value + "'");
        };
    }

    /**
     * For relays built without Spring (tests, benchmarks): the system property when set, so a whole
     * test run can be switched to io_uring with {@code -Dpinhole.relay.media-io=io_uring}; else epoll.
     */
    public static MediaIo fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? EPOLL : parse(value);
    }

    /** The transport a relay actually runs on, and why it is not the one asked for (null when it is). */
    public record Choice(Kind kind, String fallback) {
    }

    /** The event loops and channels a relay builds. */
    public enum Kind {
        EPOLL("native epoll"),
        IO_URING("io_uring"),
        NIO("NIO");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** For the start-up log line. */
        public String label() {
            return label;
        }
    }

    /**
     * Pure decision, so it is tested without a kernel that lacks either transport.
     *
     * @param epollCause     why native epoll does not load, or null when it does
     * @param ioUringCause   why io_uring does not load (io_uring_disabled, seccomp in containers,
     *                       kernel older than 5.9 or so), or null when it does
     */
    public Choice choose(Throwable epollCause, Throwable ioUringCause) {
        if (this != EPOLL && ioUringCause == null) {
            return new Choice(Kind.IO_URING, null);
        }
        String notUring = this == EPOLL ? null : "io_uring unavailable (" + ioUringCause + ")";
        if (epollCause == null) {
            return new Choice(Kind.EPOLL, notUring == null ? null : notUring + ", media uses native epoll");
        }
        return new Choice(Kind.NIO, (notUring == null ? "" : notUring + ", ")
                + "native epoll unavailable (" + epollCause + "), media uses NIO without batched reads");
    }
}
