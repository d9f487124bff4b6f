package io.pinhole.proxy.probe;

import io.pinhole.proxy.keepalive.PingSender;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.FlowKey;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 004's probe for each new registration flow: whether the phone can send UDP (its REGISTER
 * came over UDP), whether its NAT keeps its port (the mapping, see {@link MappingObserver}), and
 * whether unsolicited UDP reaches it: one OPTIONS goes along the flow from our SIP socket, the
 * same from a second UDP socket of ours; {@link FilteringVerdict} reads the two answers.
 *
 * <p>Threading: one scheduler thread plans, sends and judges probes; one receiver thread reads
 * the second socket; the SIP socket hands in answers on the flow ({@link RunningProbes}). Probes start
 * at most {@code max-per-second}, so the bindings a restart loads do not flood the network.
 */
public final class NatProbe implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(NatProbe.class);
    private static final String CALL_ID_PREFIX = RunningProbes.CALL_ID_PREFIX;
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)\\s*:\\s*" + CALL_ID_PREFIX + "(\\d+)-alt@");
    private static final int MAX_WAITING = 100_000;

    private final ProbeProperties properties;
    private final SipServer server;
    private final SipFactories factories;
    private final PingSender flowSender;
    private final CapabilityBook book;
    private final Consumer<Saved> store;
    private final Function<Binding, NatVerdict> natOf;
    private final Clock clock;
    private final BindingCache cache;
    private final ArrayDeque<Probe> waiting = new ArrayDeque<>();
    private final RunningProbes running;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong probed = new AtomicLong();
    private ScheduledExecutorService timer;
    private DatagramSocket unsolicited;
    private Thread receiver;
    private double credit;
    private long ticks;

    /** A finished probe for the database. */
    public record Saved(Binding binding, Capabilities capabilities) {
    }

    NatProbe(ProbeProperties properties, SipServer server, SipFactories factories, PingSender flowSender,
             CapabilityBook book, RunningProbes running, Consumer<Saved> store, Function<Binding, NatVerdict> natOf,
             Clock clock, BindingCache cache) {
        this.cache = cache;
        this.running = running;
        this.properties = properties;
        this.server = server;
        this.factories = factories;
        this.flowSender = flowSender;
        this.book = book;
        this.store = store;
        this.natOf = natOf;
        this.clock = clock;
    }

    long probed() {
        return probed.get();
    }

    /** One scheduler step: take new flows, start due probes within the rate, judge finished ones. */
    void tick() {
        long now = clock.millis();
        for (Binding binding; (binding = book.nextTracked()) != null; ) {
            intake(binding, now);
        }
        credit = Math.min(properties.maxPerSecond(), credit + properties.maxPerSecond() / 10.0);
        while (!waiting.isEmpty() && waiting.peekFirst().dueMillis <= now && credit >= 1) {
            credit--;
            start(waiting.pollFirst(), now);
        }
        for (Probe probe : running.takeTimedOut(now, properties.timeout().toMillis())) {
            judge(probe, now);
        }
        if (++ticks % 600 == 0) {
            forgetGoneFlows();
        }
    }

    /** Once a minute: flows no longer registered (expired, removed, moved) leave the book. */
    private void forgetGoneFlows() {
        Set<FlowKey> live = new HashSet<>();
        for (Binding binding : cache.all(clock.instant())) {
            live.add(binding.flowKey());
        }
        book.retainOnly(live);
    }

    private void intake(Binding binding, long now) {
        FlowKey identity = binding.flowKey();
        if (book.known(identity)) {
            return; // a refresh of a flow already probed
        }
        NatVerdict nat = natOf.apply(binding);
        var mapping = mapping(binding, nat);
        String transport = binding.flow().transport().toUpperCase(Locale.ROOT);
        if (!"UDP".equals(transport)) {
            book.put(identity, new Capabilities(false, mapping.mapping(), Filtering.UNKNOWN, transport,
                    mapping.reason() + "; signals over " + transport + ": UDP not probed", clock.instant()));
            return;
        }
        if (!nat.behindNat() && properties.natOnly()) {
            book.put(identity, new Capabilities(true, mapping.mapping(), Filtering.UNKNOWN, transport,
                    mapping.reason() + "; filtering not probed (pinhole.probe.nat-only)", clock.instant()));
            return;
        }
        if (waiting.size() >= MAX_WAITING) {
            book.put(identity, new Capabilities(true, mapping.mapping(), Filtering.UNKNOWN, transport,
                    mapping.reason() + "; filtering not probed (probe queue full)", null));
            return;
        }
        // known at once, probed later: the admin API shows the mapping while the probe waits
        book.put(identity, new Capabilities(true, mapping.mapping(), Filtering.UNKNOWN, transport,
                mapping.reason() + "; filtering probe pending", null));
        waiting.addLast(new Probe(ids.incrementAndGet(), binding, nat, now + properties.delay().toMillis()));
    }

    private MappingObserver.Observation mapping(Binding binding, NatVerdict nat) {
        int contactPort = -1;
        try {
            if (factories.addresses().createURI(binding.contactUri()) instanceof SipURI sip) {
                contactPort = sip.getPort();
            }
        } catch (java.text.ParseException e) {
            // stored contacts were parsed once; a bad one gives no port
        }
        return MappingObserver.observe(nat.behindNat(), contactPort, binding.flow().port());
    }

    private void start(Probe probe, long now) {
        probe.sentMillis = now;
        running.add(probe);
        try {
            flowSender.options(probe.binding, CALL_ID_PREFIX + probe.id);
            byte[] request = unsolicitedOptions(probe).getBytes(StandardCharsets.UTF_8);
            unsolicited.send(new DatagramPacket(request, request.length,
                    new InetSocketAddress(probe.binding.flow().address(), probe.binding.flow().port())));
        } catch (Exception e) {
            // judged like an unanswered probe; one debug line, no per-probe warning flood
            LOG.debug("probe of {} failed to send: {}", probe.binding.aor(), e.toString());
        }
    }

    /** The same OPTIONS as the flow's, but from the second socket: its Via names that socket. */
    private String unsolicitedOptions(Probe probe) throws Exception {
        String host = server.advertisedHost();
        int port = unsolicited.getLocalPort();
        String callId = CALL_ID_PREFIX + probe.id + "-alt";
        ViaHeader via = factories.headers().createViaHeader(host, port, "UDP", "z9hG4bK" + callId);
        via.setRPort();
        Request options = factories.messages().createRequest(
                factories.addresses().createURI(probe.binding.contactUri()), Request.OPTIONS,
                factories.headers().createCallIdHeader(callId + "@" + host),
                factories.headers().createCSeqHeader(1L, Request.OPTIONS),
                factories.headers().createFromHeader(factories.addresses().createAddress("sip:probe@" + host), callId),
                factories.headers().createToHeader(factories.addresses().createAddress("sip:" + probe.binding.aor()), null),
                List.of(via), factories.headers().createMaxForwardsHeader(70));
        return options.toString();
    }

    private void judge(Probe probe, long now) {
        var mapping = mapping(probe.binding, probe.nat);
        var filtering = FilteringVerdict.of(probe.nat.behindNat(), probe.answeredOnFlow, probe.answeredUnsolicited);
        Capabilities found = new Capabilities(true, mapping.mapping(), filtering.filtering(), "UDP",
                mapping.reason() + "; " + filtering.reason(), clock.instant());
        book.put(probe.binding.flowKey(), found);
        probed.incrementAndGet();
        LOG.info("probe: {} at {}:{}: mapping {}, filtering {} ({})", probe.binding.aor(),
                probe.binding.flow().address(), probe.binding.flow().port(), found.mapping(), found.filtering(),
                found.reason());
        store.accept(new Saved(probe.binding, found));
    }

    private void receive() {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!unsolicited.isClosed()) {
            try {
                packet.setLength(buffer.length);
                unsolicited.receive(packet);
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                if (!text.startsWith("SIP/2.0 ")) {
                    continue; // only answers are expected here
                }
                Matcher m = CALL_ID.matcher(text);
                if (m.find()) {
                    Probe probe = running.byId(Long.parseLong(m.group(1)));
                    if (probe != null) {
                        probe.answeredUnsolicited = true;
                    }
                }
            } catch (SocketTimeoutException e) {
                // look at isClosed again
            } catch (IOException | RuntimeException e) {
                if (!unsolicited.isClosed()) {
                    LOG.debug("probe socket: {}", e.toString());
                }
            }
        }
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("probe tick failed", e);
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || timer != null) {
            return;
        }
        try {
            unsolicited = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(server.bindAddress()),
                    properties.port()));
            unsolicited.setSoTimeout(500);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the probe's UDP port " + properties.port() + " on "
                    + server.bindAddress() + ": " + e.getMessage(), e);
        }
        receiver = new Thread(this::receive, "nat-probe-receiver");
        receiver.setDaemon(true);
        receiver.start();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nat-probe");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::safeTick, 100, 100, TimeUnit.MILLISECONDS);
        LOG.info("probe: new registration flows probed from UDP port {} ({} per second at most)",
                unsolicited.getLocalPort(), properties.maxPerSecond());
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (unsolicited != null) {
            unsolicited.close();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 50;
    }
}
