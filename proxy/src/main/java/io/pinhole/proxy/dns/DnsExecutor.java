package io.pinhole.proxy.dns;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads DNS answers are handled on, and what follows them (the forked INVITE, the
 * failover to the next hop): never a SIP thread. A type of its own, so no other part of the
 * proxy receives it by asking for "an executor".
 */
public final class DnsExecutor implements Executor, AutoCloseable {

    private final ExecutorService threads;

    public DnsExecutor(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
