package io.pinhole.proxy.support.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@link NatTopology}'s nat1 into a strict corporate firewall for alice's LAN, and adds what
 * the edge agent's tests need around it: a second public address in the root namespace (the
 * relay's, so the proxy and the relay can both serve port 443), the firewall's rules in a chain of
 * their own ({@value #CHAIN}, jumped to first from FORWARD for traffic from the LAN, its DROP
 * counters read by the tests), and a tinyproxy forward proxy on the firewall itself.
 */
public final class StrictFirewall implements AutoCloseable {

    public static final String CHAIN = "EDGE";
    /** The rules for what comes into the LAN (jumped to first from FORWARD for traffic to it). */
    public static final String CHAIN_IN = "EDGE_IN";
    /** The second public address: the relay's. */
    public static final String RELAY_ADDRESS = "203.0.113.2";
    public static final String FIREWALL_LAN_ADDRESS = "10.0.1.1";
    private static final String RULE = "20312";

    /** What the firewall lets out of the LAN. */
    public enum Policy {
        /** no UDP, TCP only to ports 80 and 443 */
        WEB_ONLY,
        /** no UDP, TCP only to the proxy's 443 and to port 80: the relay's TLS port is blocked */
        NO_RELAY_TLS,
        /**
         * nothing out of the LAN at all, no UDP, no TCP: only the forward proxy on the firewall
         * ({@link #startTinyproxy}) reaches out, CONNECT allowed to port 443 only
         */
        HTTP_PROXY_ONLY,
        /**
         * everything out, but no UDP in, not even replies; counts UDP to the relay ({@code udp-up}) and
         * TCP from the relay's 443 ({@code tls-down}) for {@link #packets}
         */
        UDP_OUT_ONLY
    }

    private final NatTopology net;
    private final String lan;
    private Process tinyproxy;

    public StrictFirewall(NatTopology net) {
        this.net = net;
        this.lan = net.prefix() + "-n1l";
        String pub = net.prefix() + "-pub";
        Shell.run("ip", "addr", "add", RELAY_ADDRESS + "/24", "dev", pub);
        while (Shell.attempt("ip", "rule", "del", "priority", RULE).ok()) {
            // left by a run that was killed outright
        }
        // like 203.0.113.1's rule: what the relay sends from .2 stays on the segment
        Shell.run("ip", "rule", "add", "from", RELAY_ADDRESS, "priority", RULE, "table", "20311");
        Shell.runIn(net.nat1(), "iptables", "-N", CHAIN);
        Shell.runIn(net.nat1(), "iptables", "-I", "FORWARD", "1", "-i", lan, "-j", CHAIN);
        Shell.runIn(net.nat1(), "iptables", "-N", CHAIN_IN);
        Shell.runIn(net.nat1(), "iptables", "-I", "FORWARD", "1", "-o", lan, "-j", CHAIN_IN);
    }

    /** Replaces the firewall's rules. */
    public void apply(Policy policy, String proxyAddress) {
        String ns = net.nat1();
        for (String chain : List.of(CHAIN, CHAIN_IN)) {
            Shell.runIn(ns, "iptables", "-F", chain);
            Shell.runIn(ns, "iptables", "-Z", chain);
        }
        if (policy == Policy.UDP_OUT_ONLY) {
            Shell.runIn(ns, "iptables", "-A", CHAIN, "-p", "udp", "-d", RELAY_ADDRESS, "-m", "comment", "--comment",
                    "udp-up", "-j", "RETURN");
            Shell.runIn(ns, "iptables", "-A", CHAIN_IN, "-p", "tcp", "-s", RELAY_ADDRESS, "--sport", "443", "-m",
                    "comment", "--comment", "tls-down", "-j", "RETURN");
            Shell.runIn(ns, "iptables", "-A", CHAIN_IN, "-p", "udp", "-j", "DROP");
            Shell.runIn(ns, "iptables", "-A", CHAIN_IN, "-j", "RETURN");
            Shell.runIn(ns, "iptables", "-A", CHAIN, "-j", "RETURN");
            return;
        }
        Shell.runIn(ns, "iptables", "-A", CHAIN_IN, "-j", "RETURN");
        Shell.runIn(ns, "iptables", "-A", CHAIN, "-p", "udp", "-j", "DROP");
        switch (policy) {
            case WEB_ONLY -> Shell.runIn(ns, "iptables", "-A", CHAIN, "-p", "tcp", "-m", "multiport", "!", "--dports",
                    "80,443", "-j", "DROP");
            case NO_RELAY_TLS -> {
                Shell.runIn(ns, "iptables", "-A", CHAIN, "-p", "tcp", "-m", "multiport", "!", "--dports", "80,443", "-j", "DROP");
                Shell.runIn(ns, "iptables", "-A", CHAIN, "-p", "tcp", "-d", RELAY_ADDRESS, "--dport", "443", "-j", "DROP");
            }
            // the proxy on the firewall itself connects from nat1 (OUTPUT), which this chain never sees
            case HTTP_PROXY_ONLY -> Shell.runIn(ns, "iptables", "-A", CHAIN, "-p", "tcp", "-j", "DROP");
            default -> throw new IllegalArgumentException(policy.name());
        }
        Shell.runIn(ns, "iptables", "-A", CHAIN, "-j", "RETURN");
    }

    /**
     * The local ports of the TCP connections a process in {@code namespace} (alice's LAN) has open
     * to {@code address}:{@code port}.
     */
    public static List<Integer> tcpPortsTo(String namespace, String address, int port) {
        List<Integer> ports = new ArrayList<>();
        // "0 0 10.0.1.10:40412 203.0.113.2:443", addresses possibly as [::ffff:...] from a dual-stack JVM socket
        Matcher m = Pattern.compile(":(\\d+)\\s+(?:\\[::ffff:)?" + Pattern.quote(address) + "\\]?:" + port + "\\b")
                .matcher(Shell.runIn(namespace, "ss", "-Htn", "state", "established"));
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        return ports;
    }

    /**
     * From now on drops, both ways and silently (no reset), every packet of the LAN's TCP connection
     * from {@code lanPort} to the relay's 443: what a firewall or NAT that forgot an established
     * connection does. Other connections, new ones to the relay's 443 included, still pass; the
     * next {@link #apply} lifts it.
     */
    public void forgetConnectionToRelayTls(int lanPort) {
        String ns = net.nat1();
        Shell.runIn(ns, "iptables", "-I", CHAIN, "1", "-p", "tcp", "-d", RELAY_ADDRESS, "--dport", "443",
                "--sport", String.valueOf(lanPort), "-j", "DROP");
        Shell.runIn(ns, "iptables", "-I", CHAIN_IN, "1", "-p", "tcp", "-s", RELAY_ADDRESS, "--sport", "443",
                "--dport", String.valueOf(lanPort), "-j", "DROP");
    }

    /** Packets the firewall dropped either way, by protocol ("udp", "tcp") since the last {@link #apply}. */
    public long dropped(String protocol) {
        String rules = Shell.runIn(net.nat1(), "iptables", "-L", CHAIN, "-n", "-v", "-x")
                + Shell.runIn(net.nat1(), "iptables", "-L", CHAIN_IN, "-n", "-v", "-x");
        long total = 0;
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+DROP\\s+(\\w+)").matcher(rules);
        while (m.find()) {
            if (m.group(2).equals(protocol) || m.group(2).equals(protocol.equals("udp") ? "17" : "6")) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    /** Packets counted by the rule with this comment (a policy's counting rule) since the last {@link #apply}. */
    public long packets(String comment) {
        String rules = Shell.runIn(net.nat1(), "iptables", "-L", CHAIN, "-n", "-v", "-x")
                + Shell.runIn(net.nat1(), "iptables", "-L", CHAIN_IN, "-n", "-v", "-x");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+.*/\\* " + Pattern.quote(comment) + " \\*/").matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no rule commented " + comment + ":\n" + rules);
        }
        return Long.parseLong(m.group(1));
    }

    /** The firewall's rules and counters, for failure messages. */
    public String describe() {
        return Shell.attempt("ip", "netns", "exec", net.nat1(), "iptables", "-L", CHAIN, "-n", "-v", "-x").output()
                + Shell.attempt("ip", "netns", "exec", net.nat1(), "iptables", "-L", CHAIN_IN, "-n", "-v", "-x").output();
    }

    /** Starts tinyproxy on the firewall's LAN address; its log is returned by {@link #proxyLog}. */
    public String startTinyproxy(Path dir, int port) throws IOException, InterruptedException {
        Path log = dir.resolve("tinyproxy.log");
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, String.join("\n", "User nobody", "Group nogroup", "Port " + port,
                "Listen " + FIREWALL_LAN_ADDRESS, "Timeout 60", "MaxClients 50", "Allow 10.0.1.0/24",
                // as a corporate proxy would: tunnels (the agent's SIP over TLS) to port 443 only
                "ConnectPort 443",
                "LogFile \"" + log + "\"", "LogLevel Info", "DisableViaHeader Yes", ""));
        Files.writeString(log, "");
        log.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        tinyproxy = new ProcessBuilder("ip", "netns", "exec", net.nat1(), "tinyproxy", "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (Shell.attempt("ip", "netns", "exec", net.nat1(), "ss", "-ltn", "sport", "=", ":" + port).output()
                    .contains(":" + port)) {
                return FIREWALL_LAN_ADDRESS + ":" + port;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("tinyproxy did not listen on " + port + ": " + Files.readString(dir.resolve("tinyproxy.out")));
    }

    public static String proxyLog(Path dir) throws IOException {
        return Files.readString(dir.resolve("tinyproxy.log"));
    }

    public void stopTinyproxy() throws InterruptedException {
        if (tinyproxy != null) {
            tinyproxy.destroy();
            tinyproxy.waitFor(5, TimeUnit.SECONDS);
            tinyproxy = null;
        }
    }

    /** A command run inside a namespace (the edge agent's JVM), its output in {@code log}. */
    public static Process startIn(String namespace, List<String> command, Path log) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        stopTinyproxy();
        Shell.attempt("ip", "rule", "del", "priority", RULE);
        // the chain and the address go with nat1 and the pub link when the topology is torn down
    }
}
