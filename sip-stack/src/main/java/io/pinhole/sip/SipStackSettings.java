package io.pinhole.sip;

import java.util.Objects;
import java.util.Properties;

/**
 * The JAIN-SIP RI settings that decide how a Pinhole SIP service behaves under load
 * (measured in ../shared/STACK.md): a fixed thread pool instead of a thread per datagram,
 * 4 MiB socket buffers, aggressive release of finished transactions, the stack's own
 * logging routed to SLF4J at warning level only.
 *
 * @param stackName          unique per stack in one JVM
 * @param threadPoolSize     threads that run the listener (the listener is re-entrant)
 * @param udpBufferBytes     SO_RCVBUF / SO_SNDBUF for UDP
 * @param maxMessageBytes    largest message accepted (larger UDP datagrams are dropped with a
 *                           warning); queued datagrams take their own length, not this size
 * @param tlsKeystore        path of a PKCS12/JKS keystore for TLS listening points, or null
 * @param tlsKeystorePassword its password (never logged), or null
 * @param tlsKeystoreType    "PKCS12" or "JKS"
 * @param forceRport         answer a UDP request at the packet's source address and port even when
 *                           its top Via has no {@code rport} (Asterisk's {@code force_rport},
 *                           Kamailio's {@code force_rport()}): a phone behind NAT that does not ask
 *                           for rport otherwise never hears its responses
 */
public record SipStackSettings(
        String stackName,
        int threadPoolSize,
        int udpBufferBytes,
        int maxMessageBytes,
        String tlsKeystore,
        String tlsKeystorePassword,
        String tlsKeystoreType,
        boolean forceRport) {

    /** Far above any real SIP message over UDP. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16384;

    /**
     * Queued requests older than this are dropped instead of processed: under overload the
     * client has retransmitted by then, and working off a stale backlog is what collapses a stack.
     */
    static final int CONGESTION_TIMEOUT_MILLIS = 2000;

    /**
     * How long the RI keeps a terminated transaction in its table and a terminated dialog before
     * releasing it (its own default: 8 s), on top of RFC 3261's timers, which already absorb
     * retransmissions (Timer J, D, K; a BYE's transaction stays for its Timer J). At 500 calls/s
     * the 8 s kept some 16,000 finished transactions and dialogs alive: live heap 128 MB, 59 MB
     * with 1 s (both with the weak ACK guard of {@link WeakAckGuardTimer}). Two seconds still absorb the
     * retransmissions of an INVITE whose 100 and 2xx were both lost (T1 timing: 0.5 and 1.5 s).
     */
    static final int TERMINATED_LINGER_SECONDS = 2;

    /** TLS 1.3 suites, then TLS 1.2 with forward secrecy and AEAD. */
    static final java.util.List<String> TLS_CIPHER_SUITES = java.util.List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public SipStackSettings {
        Objects.requireNonNull(stackName, "stackName");
        if (threadPoolSize < 1) {
            throw new IllegalArgumentException("threadPoolSize must be >= 1, was " + threadPoolSize);
        }
        if (udpBufferBytes < 65536) {
            throw new IllegalArgumentException("udpBufferBytes must be >= 65536, was " + udpBufferBytes);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 1024, was " + maxMessageBytes);
        }
    }

    public static SipStackSettings defaults(String stackName) {
        return new SipStackSettings(stackName, 4, 4 * 1024 * 1024, DEFAULT_MAX_MESSAGE_BYTES, null, null, "PKCS12", true);
    }

    public boolean tlsEnabled() {
        return tlsKeystore != null && !tlsKeystore.isBlank();
    }

    @Override
    public String toString() {
        return "SipStackSettings[stackName=" + stackName + ", threadPoolSize=" + threadPoolSize
                + ", udpBufferBytes=" + udpBufferBytes + ", maxMessageBytes=" + maxMessageBytes
                + ", tlsKeystore=" + tlsKeystore + ", forceRport=" + forceRport + "]";
    }

    /** The properties for {@code new gov.nist.javax.sip.SipStackImpl(properties)}. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threadPoolSize));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(udpBufferBytes));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(udpBufferBytes));
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", WeakAckGuardTimer.class.getName());
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", Integer.toString(TERMINATED_LINGER_SECONDS));
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(maxMessageBytes));
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", Integer.toString(CONGESTION_TIMEOUT_MILLIS));
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // RFC 3581 with force: the RI then tags a UDP request's top Via with received= and
        // rport= (the packet's source) even when the phone did not ask, and its server
        // transactions send every response there. The RI reads this name; the PATCH_RPORT set
        // here before was not a property of the RI, so phones behind NAT without rport could not
        // register. Requests we send to a phone follow its stored flow (FlowRouter) either way.
        p.setProperty("gov.nist.javax.sip.ALWAYS_ADD_RPORT", Boolean.toString(forceRport));
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", QuietServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", ReadableParseErrors.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", RightSizedMessageProcessors.class.getName());
        if (tlsEnabled()) {
            p.setProperty("javax.net.ssl.keyStore", tlsKeystore);
            p.setProperty("javax.net.ssl.keyStorePassword", tlsKeystorePassword == null ? "" : tlsKeystorePassword);
            p.setProperty("javax.net.ssl.keyStoreType", tlsKeystoreType);
            p.setProperty("javax.net.ssl.trustStore", tlsKeystore);
            p.setProperty("javax.net.ssl.trustStorePassword", tlsKeystorePassword == null ? "" : tlsKeystorePassword);
            p.setProperty("javax.net.ssl.trustStoreType", tlsKeystoreType);
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
            // The RI's built-in list is TLS_RSA_* / anon / 3DES suites, which current JDKs disable
            // (jdk.tls.disabledAlgorithms): left alone, no TLS handshake can succeed.
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", TLS_CIPHER_SUITES));
        }
        return p;
    }
}
