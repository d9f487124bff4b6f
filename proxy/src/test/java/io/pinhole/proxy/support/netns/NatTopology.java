package io.pinhole.proxy.support.netns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two phones behind two real NATs, built from network namespaces, veth pairs and iptables:
 *
 * <pre>
 *  root namespace: proxy + relay on 203.0.113.1 (interface {prefix}-pub)
 *        |
 *  {prefix}-inet: bridge {prefix}-br = the public segment 203.0.113.0/24
 *        |                                   |
 *  {prefix}-nat1  WAN 203.0.113.11           {prefix}-nat2  WAN 203.0.113.12
 *                 LAN 10.0.1.1                              LAN 10.0.2.1
 *        |                                   |
 *  {prefix}-alice 10.0.1.2                   {prefix}-bob   10.0.2.2
 * </pre>
 *
 * Each NAT masquerades with random source ports (or, built with {@link Ports#KEEP}, keeps the
 * phone's source port where it is free, as most home routers do: the same public port for every
 * destination, RFC 4787 endpoint-independent mapping) and filters statefully: FORWARD drops by default,
 * accepts replies (ESTABLISHED,RELATED) and new connections from its LAN; unsolicited inbound UDP
 * is dropped by an explicit rule whose counter {@link #unsolicitedDrops} reads.
 *
 * <p>The bridge lives in its own namespace, not the root one, so that bridged traffic between
 * the NATs never passes the host's own iptables (with {@code br_netfilter} loaded, a host whose
 * FORWARD policy is DROP would otherwise cut the segment). The root namespace gets one interface
 * with 203.0.113.1/24 and no iptables rule; a routing rule (priority and table 20311) confines
 * traffic from 203.0.113.1 to the segment (anything else is unreachable, e.g. a phone's private
 * Contact). The NATs have no default route, so nothing the test starts can leave the machine.
 *
 * <p>{@code -Dpinhole.nat.weaken=no-filter} ({@link #WEAKEN}) builds NATs without the filter, as
 * a control experiment: the test of calls without the relay must then fail (media arrives).
 *
 * <p>Each NAT also knows a route to the other's LAN across the segment, as if private addresses
 * leaked between them. That makes the NAT and its filter the only thing that keeps the phones'
 * SDP addresses unreachable: with media sent straight to the peer's private address, a plain
 * router, a NAT without filter, or a filter without NAT would each let some media through.
 *
 * <p>Every name starts with "ph" and four random hex digits. {@link #close} removes it all; a JVM
 * shutdown hook does it too if the test never gets there.
 */
public final class NatTopology implements AutoCloseable {

    /**
     * The JUnit resource lock of every test class that builds network namespaces: one such class
     * at a time (their addresses are fixed), side by side with the classes that need none. Such a
     * class also needs {@code @Execution(ExecutionMode.CONCURRENT)}: with the lock alone it runs in
     * the thread of the classes that need none, which then wait with it for the lock.
     */
    public static final String LOCK = "nat-topology";


    public static final String PUBLIC_ADDRESS = "203.0.113.1";
    public static final String NAT1_PUBLIC = "203.0.113.11";
    public static final String NAT2_PUBLIC = "203.0.113.12";
    public static final String ALICE_ADDRESS = "10.0.1.2";
    public static final String BOB_ADDRESS = "10.0.2.2";

    private final String prefix;
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    /** System property for the control experiment: {@code no-filter} (see the class comment). */
    public static final String WEAKEN = "pinhole.nat.weaken";

    private final boolean filtering = !"no-filter".equals(System.getProperty(WEAKEN, ""));
    private volatile boolean closed;
    private volatile boolean pubCreated;
    private volatile boolean ruleAdded;
    private boolean wireCounted;
    /** Priority of the routing rule for traffic from 203.0.113.1, and number of its table. */
    private static final int RULE = 20311;

    /** How a NAT picks the public source port of a new mapping. */
    public enum Ports {
        /** a random port per mapping ({@code MASQUERADE --random}): the mapping depends on the destination */
        RANDOM,
        /** the phone's own port where free (plain {@code MASQUERADE}): endpoint-independent mapping */
        KEEP
    }

    private MachineLock lock;
    private final Ports nat1Ports;
    private final Ports nat2Ports;

    private NatTopology(String prefix, Ports nat1Ports, Ports nat2Ports) {
        this.prefix = prefix;
        this.nat1Ports = nat1Ports;
        this.nat2Ports = nat2Ports;
        this.shutdownHook = new Thread(this::teardown, prefix + "-teardown");
    }

    /** Runs a command inside one of the topology's namespaces and returns what it printed (stdout and stderr). */
    public String outputIn(String namespace, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return Shell.attempt(full).output();
    }

    /** Seconds the NAT's conntrack keeps a UDP mapping that saw one request/response (Linux default 30). */
    public int udpTimeoutSeconds(String nat) {
        return Integer.parseInt(Shell.runIn(nat, "sysctl", "-n", "net.netfilter.nf_conntrack_udp_timeout").strip());
    }

    /** Why this machine cannot build the topology (not root, a tool missing), or null when it can. */
    public static String missingPrerequisite() {
        Shell.Outcome uid = Shell.attempt("id", "-u");
        if (!uid.ok() || !uid.output().strip().equals("0")) {
            return "network namespaces and iptables need root (uid " + uid.output().strip() + ")";
        }
        for (String tool : List.of("ip", "iptables", "sipp", "python3")) {
            if (Shell.missing(tool)) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    /** Builds the topology; tears down whatever was built if a step fails. */
    public static NatTopology create() {
        return create(Ports.RANDOM, Ports.RANDOM);
    }

    /** Builds the topology with each NAT's port behaviour; tears down whatever was built if a step fails. */
    public static NatTopology create(Ports nat1Ports, Ports nat2Ports) {
        String prefix = "ph" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
        NatTopology topology = new NatTopology(prefix, nat1Ports, nat2Ports);
        topology.lock = MachineLock.acquire();
        Runtime.getRuntime().addShutdownHook(topology.shutdownHook);
        try {
            topology.build();
            return topology;
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    public String prefix() {
        return prefix;
    }

    public String alice() {
        return prefix + "-alice";
    }

    public String bob() {
        return prefix + "-bob";
    }

    public String nat1() {
        return prefix + "-nat1";
    }

    public String nat2() {
        return prefix + "-nat2";
    }

    private String inet() {
        return prefix + "-inet";
    }

    private String wan(int nat) {
        return prefix + "-n" + nat + "w";
    }

    private void build() {
        String taken = Shell.run("ip", "-4", "-o", "addr", "show", "to", "203.0.113.0/24");
        if (!taken.isBlank()) {
            throw new IllegalStateException("203.0.113.0/24 is already in use in the root namespace (another NAT "
                    + "topology still up?): " + taken.strip());
        }
        String existing = Shell.run("ip", "netns", "list");
        for (String ns : List.of(inet(), nat1(), nat2(), alice(), bob())) {
            if (existing.contains(ns)) {
                throw new IllegalStateException("namespace " + ns + " already exists");
            }
            Shell.run("ip", "netns", "add", ns);
            namespaces.add(ns);
            Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        String bridge = prefix + "-br";
        Shell.run("ip", "-n", inet(), "link", "add", bridge, "type", "bridge");
        Shell.run("ip", "-n", inet(), "link", "set", bridge, "up");

        // root <-> public segment
        String pub = prefix + "-pub";
        if (Shell.attempt("ip", "link", "show", pub).ok()) {
            throw new IllegalStateException(pub + " already exists");
        }
        Shell.run("ip", "link", "add", pub, "type", "veth", "peer", "name", pub + "i", "netns", inet());
        pubCreated = true;
        Shell.run("ip", "-n", inet(), "link", "set", pub + "i", "master", bridge, "up");
        Shell.run("ip", "addr", "add", PUBLIC_ADDRESS + "/24", "dev", pub);
        Shell.run("ip", "link", "set", pub, "up");
        // Whatever the proxy and relay send from 203.0.113.1 stays on the segment: a packet to any
        // other address (say a phone's private Contact) is refused instead of leaving the machine.
        String table = String.valueOf(RULE);
        while (Shell.attempt("ip", "rule", "del", "priority", table).ok()) {
            // a rule left by a run that was killed outright (its topology is gone: 203.0.113.0/24 was free)
        }
        Shell.attempt("ip", "route", "flush", "table", table);
        ruleAdded = true;
        Shell.run("ip", "route", "add", "203.0.113.0/24", "dev", pub, "table", table);
        Shell.run("ip", "route", "add", "unreachable", "default", "table", table);
        Shell.run("ip", "rule", "add", "from", PUBLIC_ADDRESS, "priority", table, "table", table);

        nat(1, nat1(), alice(), NAT1_PUBLIC, "10.0.1", "10.0.2", NAT2_PUBLIC, bridge, nat1Ports);
        nat(2, nat2(), bob(), NAT2_PUBLIC, "10.0.2", "10.0.1", NAT1_PUBLIC, bridge, nat2Ports);
    }

    private void nat(int n, String nat, String phone, String publicAddress, String lan, String otherLan,
                     String otherPublic, String bridge, Ports ports) {
        String wan = wan(n);
        String bridgePort = prefix + "-n" + n + "b";
        String lanSide = prefix + "-n" + n + "l";
        String phoneSide = prefix + "-p" + n;
        Shell.run("ip", "-n", nat, "link", "add", wan, "type", "veth", "peer", "name", bridgePort, "netns", inet());
        Shell.run("ip", "-n", inet(), "link", "set", bridgePort, "master", bridge, "up");
        Shell.run("ip", "-n", nat, "addr", "add", publicAddress + "/24", "dev", wan);
        Shell.run("ip", "-n", nat, "link", "set", wan, "up");

        Shell.run("ip", "-n", nat, "link", "add", lanSide, "type", "veth", "peer", "name", phoneSide, "netns", phone);
        Shell.run("ip", "-n", nat, "addr", "add", lan + ".1/24", "dev", lanSide);
        Shell.run("ip", "-n", nat, "link", "set", lanSide, "up");
        Shell.run("ip", "-n", phone, "addr", "add", lan + ".2/24", "dev", phoneSide);
        Shell.run("ip", "-n", phone, "link", "set", phoneSide, "up");
        Shell.run("ip", "-n", phone, "route", "add", "default", "via", lan + ".1");
        // the other NAT's LAN, reachable across the segment (see the class comment); no default route
        Shell.run("ip", "-n", nat, "route", "add", otherLan + ".0/24", "via", otherPublic);

        Shell.runIn(nat, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        if (ports == Ports.RANDOM) {
            Shell.runIn(nat, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE", "--random");
        } else {
            Shell.runIn(nat, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE");
        }
        Shell.runIn(nat, "iptables", "-P", "FORWARD", "DROP");
        Shell.runIn(nat, "iptables", "-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        Shell.runIn(nat, "iptables", "-A", "FORWARD", "-i", lanSide, "-o", wan, "-m", "conntrack", "--ctstate", "NEW",
                "-j", "ACCEPT");
        // the control experiment (see WEAKEN) turns this one rule into ACCEPT, keeping its counter
        Shell.runIn(nat, "iptables", "-A", "FORWARD", "-i", wan, "-p", "udp", "-j", filtering ? "DROP" : "ACCEPT");
    }

    /**
     * Makes each NAT also drop unsolicited UDP addressed to itself, as home routers do (their WAN
     * input policy drops or rejects). Without this a NAT accepts such a packet locally and keeps a
     * conntrack entry for it; a phone's later packet that would map onto that same public port then
     * gets another one, so the first of two simultaneous packets between the phones takes the port
     * the second needs, and a punched hole never opens. Dropped before it is confirmed, the packet
     * leaves no entry behind.
     */
    public void dropUnsolicitedAtTheNats() {
        for (int n = 1; n <= 2; n++) {
            Shell.runIn(n == 1 ? nat1() : nat2(), "iptables", "-A", "INPUT", "-i", wan(n), "-p", "udp", "-m",
                    "conntrack", "--ctstate", "NEW", "-j", "DROP");
        }
    }

    /**
     * Checks that the topology does what the tests rely on, with a clear message when it does not:
     * each phone reaches the public segment through its NAT (UDP echo from 203.0.113.1, seen as
     * coming from the NAT's public address), and unsolicited UDP from the public side reaches the
     * far NAT but not the phone behind it.
     */
    public void verify() {
        try (DatagramSocket echo = new DatagramSocket(new InetSocketAddress(PUBLIC_ADDRESS, 0))) {
            echo.setSoTimeout(100);
            Set<String> sources = ConcurrentHashMap.newKeySet();
            Thread echoer = new Thread(() -> {
                byte[] buffer = new byte[2048];
                while (!echo.isClosed()) {
                    try {
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        echo.receive(packet);
                        sources.add(packet.getAddress().getHostAddress());
                        echo.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                    } catch (java.net.SocketTimeoutException idle) {
                        // check whether we are done
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, prefix + "-echo");
            echoer.setDaemon(true);
            echoer.start();
            String target = PUBLIC_ADDRESS + ":" + echo.getLocalPort();
            long at = System.currentTimeMillis() + 500;
            RtpProbe alice = RtpProbe.start(alice(), ALICE_ADDRESS + ":39000", target, 0.4, at, true);
            RtpProbe bob = RtpProbe.start(bob(), BOB_ADDRESS + ":39000", target, 0.4, at, true);
            RtpProbe.Result a = alice.await(10_000);
            RtpProbe.Result b = bob.await(10_000);
            if (a.received() < a.sent() * 8 / 10 || a.sent() == 0) {
                throw new IllegalStateException("alice cannot reach " + target + " through nat1: " + a.raw() + "\n"
                        + describe(nat1()));
            }
            if (b.received() < b.sent() * 8 / 10 || b.sent() == 0) {
                throw new IllegalStateException("bob cannot reach " + target + " through nat2: " + b.raw() + "\n"
                        + describe(nat2()));
            }
            if (!sources.equals(Set.of(NAT1_PUBLIC, NAT2_PUBLIC))) {
                throw new IllegalStateException("the public segment saw the phones as " + sources + ", not as "
                        + NAT1_PUBLIC + " and " + NAT2_PUBLIC + ": the NATs do not masquerade");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind " + PUBLIC_ADDRESS + " in the root namespace", e);
        }

        long dropsBefore = unsolicitedDrops(nat2());
        long at = System.currentTimeMillis() + 500;
        RtpProbe listener = RtpProbe.start(bob(), BOB_ADDRESS + ":39002", null, 0.8, at, false);
        RtpProbe intruder = RtpProbe.start(nat1(), NAT1_PUBLIC + ":39002", BOB_ADDRESS + ":39002", 0.4, at, false);
        RtpProbe.Result sent = intruder.await(10_000);
        RtpProbe.Result heard = listener.await(10_000);
        long dropped = unsolicitedDrops(nat2()) - dropsBefore;
        if (!filtering) {
            return;
        }
        if (heard.received() != 0) {
            throw new IllegalStateException("nat2 let unsolicited UDP through to bob: " + heard.raw() + "\n" + describe(nat2()));
        }
        if (sent.sent() == 0 || dropped < sent.sent()) {
            throw new IllegalStateException("unsolicited UDP from the public side did not reach nat2's filter (sent "
                    + sent.raw() + ", dropped " + dropped + ")\n" + describe(nat1()) + describe(nat2()));
        }
    }

    /**
     * UDP packets that crossed the public segment between the two NATs so far, each direction
     * counted where it comes off the wire: at the receiving NAT's WAN interface, in its {@code raw}
     * table, before connection tracking, NAT or the filter (so a first punching packet the filter
     * then drops is counted too). Media between the phones takes this way only when it goes direct:
     * relayed media crosses the segment between a NAT and 203.0.113.1.
     *
     * @param nat1ToNat2 from 203.0.113.11 to 203.0.113.12
     * @param nat2ToNat1 from 203.0.113.12 to 203.0.113.11
     */
    public record Wire(long nat1ToNat2, long nat2ToNat1) {
        public Wire since(Wire before) {
            return new Wire(nat1ToNat2 - before.nat1ToNat2, nat2ToNat1 - before.nat2ToNat1);
        }
    }

    /** Adds the counting rules {@link #wire()} reads (once per topology; the tests share them). */
    public synchronized void countWireBetweenNats() {
        if (wireCounted) {
            return;
        }
        Shell.runIn(nat2(), "iptables", "-t", "raw", "-A", "PREROUTING", "-i", wan(2), "-p", "udp", "-s", NAT1_PUBLIC,
                "-d", NAT2_PUBLIC, "-j", "ACCEPT");
        Shell.runIn(nat1(), "iptables", "-t", "raw", "-A", "PREROUTING", "-i", wan(1), "-p", "udp", "-s", NAT2_PUBLIC,
                "-d", NAT1_PUBLIC, "-j", "ACCEPT");
        wireCounted = true;
    }

    /** The packets counted between the NATs so far (see {@link Wire}); needs {@link #countWireBetweenNats}. */
    public Wire wire() {
        return new Wire(wireFromNat1(), wireFromNat2());
    }

    /** {@link Wire#nat1ToNat2()} now (one read, for sampling). */
    public long wireFromNat1() {
        return wireCount(nat2(), NAT1_PUBLIC, NAT2_PUBLIC);
    }

    /** {@link Wire#nat2ToNat1()} now (one read, for sampling). */
    public long wireFromNat2() {
        return wireCount(nat1(), NAT2_PUBLIC, NAT1_PUBLIC);
    }

    private long wireCount(String nat, String from, String to) {
        String rules = Shell.runIn(nat, "iptables", "-t", "raw", "-L", "PREROUTING", "-n", "-v", "-x");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+ACCEPT\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+"
                + Pattern.quote(from) + "\\s+" + Pattern.quote(to) + "\\s").matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no wire counter for " + from + " -> " + to + " in " + nat + ":\n" + rules);
        }
        return Long.parseLong(m.group(1));
    }

    /** UDP packets from the public side to the LAN that this NAT's filter has dropped so far. */
    public long unsolicitedDrops(String nat) {
        String rules = Shell.runIn(nat, "iptables", "-L", "FORWARD", "-n", "-v", "-x");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+(DROP|ACCEPT)\\s+17\\s").matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no unsolicited-UDP DROP rule in " + nat + ":\n" + rules);
        }
        return Long.parseLong(m.group(1));
    }

    /** The NAT's rules and counters, and its connection tracking table, for failure messages. */
    public String describe(String nat) {
        return Shell.attempt("ip", "netns", "exec", nat, "iptables", "-L", "-n", "-v", "-x").output()
                + Shell.attempt("ip", "netns", "exec", nat, "iptables", "-t", "nat", "-L", "-n", "-v", "-x").output()
                + Shell.attempt("ip", "netns", "exec", nat, "cat", "/proc/net/nf_conntrack").output();
    }

    @Override
    public void close() {
        try {
            teardown();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        } finally {
            if (lock != null) {
                lock.release();
            }
        }
    }

    /**
     * The topology takes 203.0.113.0/24 and a routing rule of the machine: two test JVMs (two
     * checkouts, or a developer's run beside CI's) take turns through a file lock instead of
     * failing on each other's addresses. The lock goes with the process if it dies.
     */
    private record MachineLock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock held) {

        static MachineLock acquire() {
            try {
                var channel = java.nio.channels.FileChannel.open(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                                "pinhole-nat-topology.lock"), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE);
                long deadline = System.nanoTime() + java.time.Duration.ofMinutes(15).toNanos();
                while (true) {
                    var held = channel.tryLock();
                    if (held != null) {
                        return new MachineLock(channel, held);
                    }
                    if (System.nanoTime() > deadline) {
                        channel.close();
                        throw new IllegalStateException("another NAT topology held the machine for 15 minutes");
                    }
                    Thread.sleep(500);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot take the NAT topology lock: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void release() {
            try {
                held.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel or the process
            }
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        // only what this instance created; processes still running inside (SIPp, probes) are ours and bounded
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            Shell.attempt("ip", "netns", "del", namespaces.get(i));
        }
        if (ruleAdded) {
            Shell.attempt("ip", "rule", "del", "priority", String.valueOf(RULE));
            Shell.attempt("ip", "route", "flush", "table", String.valueOf(RULE));
        }
        if (pubCreated) {
            Shell.attempt("ip", "link", "del", prefix + "-pub");
        }
    }
}
