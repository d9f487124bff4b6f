package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.testsupport.FreePorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real DNS server for a test: Debian's dnsmasq as the test's own process on 127.0.0.1 and a
 * free port, serving only the records the test gives it (no upstream, no /etc/hosts), every
 * other name under its local domains answered NXDOMAIN. Its records carry a TTL of 60 s.
 */
public final class Dnsmasq implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private Dnsmasq(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Null when dnsmasq can be run, else what is missing. */
    public static String missingPrerequisite() {
        return Files.isExecutable(Path.of("/usr/sbin/dnsmasq")) ? null : "dnsmasq is not installed (Debian package dnsmasq)";
    }

    /**
     * @param localDomains domains answered from the records alone (NXDOMAIN for other names)
     * @param records      dnsmasq options such as {@code --srv-host=...}, {@code --naptr-record=...}, {@code --host-record=...}
     */
    public static Dnsmasq start(List<String> localDomains, List<String> records) {
        int port = FreePorts.udpAndTcp();
        List<String> command = new ArrayList<>(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces", "--listen-address=127.0.0.1",
                "--port=" + port, "--user=" + System.getProperty("user.name"), "--pid-file=", "--log-queries",
                "--log-facility=-", "--cache-size=0", "--local-ttl=60"));
        localDomains.forEach(d -> command.add("--local=/" + d + "/"));
        command.addAll(records);
        ChildProcess process = ChildProcess.start("dnsmasq", command);
        Dnsmasq dns = new Dnsmasq(process, port);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!process.output().contains("started")) {
            if (!process.alive() || System.nanoTime() > deadline) {
                String output = process.output();
                process.close();
                throw new IllegalStateException("dnsmasq did not start: " + output);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return dns;
    }

    /** host:port, as {@code pinhole.dns.servers} takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** What dnsmasq logged (every query, with --log-queries). */
    public String log() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
