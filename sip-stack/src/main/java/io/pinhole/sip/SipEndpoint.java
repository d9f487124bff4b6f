package io.pinhole.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.RightSizedUdpMessageProcessor;
import io.pinhole.sip.hep.HepServerLogger;
import io.pinhole.sip.hep.MessageTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ListeningPoint;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A SIP service's front door: one JAIN-SIP RI stack with a listening point and a provider per
 * transport, all on one address, with one listener on every provider.
 *
 * <p>{@link #open} either listens on every transport or, when one cannot (a port already bound, a
 * keystore that does not load), releases whatever it had opened and throws, naming the address,
 * port and transport. {@link #close} releases the sockets and ends the stack's threads, the one
 * the RI's own stop leaves behind included ({@link StackThreads}), so that a service can start
 * again in the same JVM, or the JVM can exit.
 */
public final class SipEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipEndpoint.class);

    /**
     * A transport and the port it listens on.
     *
     * @param name as JAIN-SIP names it (udp, tcp, tls; the case is the caller's and kept as given)
     * @param port 1-65535
     */
    public record Transport(String name, int port) {

        public Transport {
            Objects.requireNonNull(name, "name");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, was " + port);
            }
        }

        @Override
        public String toString() {
            return name.toUpperCase(Locale.ROOT) + " " + port;
        }
    }

    private final SipStackImpl stack;
    private final StackThreads threads;
    private final Map<String, SipProvider> providers;
    private final List<ListeningPoint> listeningPoints;
    private boolean closed;

    private SipEndpoint(SipStackImpl stack, StackThreads threads, Map<String, SipProvider> providers,
                        List<ListeningPoint> listeningPoints) {
        this.stack = stack;
        this.threads = threads;
        this.providers = Map.copyOf(providers);
        this.listeningPoints = List.copyOf(listeningPoints);
    }

    /**
     * Creates the stack, listens on each transport in order, and starts the stack.
     *
     * @param stackProperties for {@code new SipStackImpl}, usually {@link SipStackSettings#toProperties()}
     *                        with what the service adds
     * @param bindAddress     the address every listening point binds
     * @param transports      at most one per transport name
     * @param listener        given every request, response and event of every provider
     * @throws IllegalStateException when the stack cannot be created or a transport cannot
     *                               listen; nothing is left open then
     */
    public static SipEndpoint open(Properties stackProperties, String bindAddress, List<Transport> transports,
                                   SipListener listener) {
        return open(stackProperties, bindAddress, transports, listener, AnswerTap.NONE);
    }

    /**
     * As {@link #open(Properties, String, List, SipListener)}, and each UDP listening point hands
     * the answers {@code answers} claims to it as they arrive, unparsed, from the moment it listens.
     * (Over TCP and TLS, and on a UDP receiver that is not ours, they reach the listener.)
     */
    public static SipEndpoint open(Properties stackProperties, String bindAddress, List<Transport> transports,
                                   SipListener listener, AnswerTap answers) {
        return open(stackProperties, bindAddress, transports, listener, answers, null);
    }

    /**
     * As {@link #open(Properties, String, List, SipListener, AnswerTap)}, and every message the
     * stack receives or sends goes to {@code tap} (null: none) from before it listens; the
     * properties must then come with {@link HepServerLogger#stackProperties(io.pinhole.wire.hep.HepTarget, boolean)}.
     */
    public static SipEndpoint open(Properties stackProperties, String bindAddress, List<Transport> transports,
                                   SipListener listener, AnswerTap answers, MessageTap tap) {
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(listener, "listener");
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("no transport to listen on");
        }
        String stackName = stackProperties.getProperty("javax.sip.STACK_NAME", "sip");
        StackThreads threads = new StackThreads(stackName);
        SipStackImpl stack;
        try {
            stack = threads.construct(stackProperties);
        } catch (Exception e) {
            threads.endScanner();
            throw new IllegalStateException("cannot create SIP stack " + stackName + ": " + e.getMessage(), e);
        }
        if (tap != null) {
            try {
                HepServerLogger.attach(stack, tap);
            } catch (IllegalStateException e) {
                release(stack, threads, e);
                throw e;
            }
        }
        Map<String, SipProvider> providers = new HashMap<>();
        List<ListeningPoint> points = new ArrayList<>();
        Transport current = null;
        try {
            for (Transport transport : transports) {
                current = transport;
                ListeningPoint point = stack.createListeningPoint(bindAddress, transport.port(), transport.name());
                points.add(point);
                if (point instanceof ListeningPointImpl impl
                        && impl.getMessageProcessor() instanceof RightSizedUdpMessageProcessor udp) {
                    udp.tapAnswers(answers);
                }
                SipProvider provider = stack.createSipProvider(point);
                provider.addSipListener(listener);
                providers.put(key(transport.name()), provider);
            }
            current = null;
            stack.start();
        } catch (Exception e) {
            IllegalStateException failure = new IllegalStateException((current == null
                    ? "cannot start SIP on " + bindAddress + " (" + describe(transports) + ")"
                    : "cannot listen for SIP on " + bindAddress + ":" + current.port() + " ("
                    + current.name().toUpperCase(Locale.ROOT) + ")") + ": " + e.getMessage(), e);
            release(stack, threads, failure);
            throw failure;
        }
        return new SipEndpoint(stack, threads, providers, points);
    }

    /** "UDP 5060, TCP 5060, TLS 5061". */
    public static String describe(List<Transport> transports) {
        return transports.stream().map(Transport::toString).collect(Collectors.joining(", "));
    }

    /** The provider that sends and receives over a transport (any case). */
    public SipProvider provider(String transport) {
        SipProvider provider = providers.get(key(transport));
        if (provider == null) {
            throw new IllegalStateException("no " + transport + " listening point");
        }
        return provider;
    }

    /** The listening points, in the order of the transports they were opened for. */
    public List<ListeningPoint> listeningPoints() {
        return listeningPoints;
    }

    /** The running stack, for the RI's extensions and its transaction table. */
    public SipStackImpl stack() {
        return stack;
    }

    /** Stops the stack: its sockets are closed and its threads end. Closing again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        release(stack, threads, null);
    }

    private static void release(SipStackImpl stack, StackThreads threads, Exception failure) {
        try {
            stack.stop();
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                LOG.warn("stopping SIP stack {} failed: {}", stack.getStackName(), e.toString());
            }
        } finally {
            threads.endScanner();
        }
    }

    private static String key(String transport) {
        return transport.toUpperCase(Locale.ROOT);
    }
}
