package io.pinhole.relay.support;

import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import io.pinhole.wire.ng.NgException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking ng client for tests: one request, one reply matched by cookie, within 3 s. The
 * transport is the production client ({@link io.pinhole.wire.ng.NgClient}: cookies,
 * retransmission, deadline); this adds blocking, caller-chosen cookies, ISO-8859-1 strings (what
 * the relay's codec reads) and error replies returned as maps, since tests assert on them.
 */
public final class NgClient implements AutoCloseable {

    private static final AtomicLong COOKIES = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final io.pinhole.wire.ng.NgClient client;
    private final InetSocketAddress target;

    public NgClient(InetSocketAddress target) {
        this.target = target;
        this.client = new io.pinhole.wire.ng.NgClient(target, null, Duration.ofSeconds(3), timer);
    }

    public Map<String, Object> call(Map<String, ?> request) throws Exception {
        return call("t" + ProcessHandle.current().pid() + "_" + COOKIES.incrementAndGet(), request);
    }

    public Map<String, Object> call(String cookie, Map<String, ?> request) throws Exception {
        return decode(raw(cookie, BencodeWriter.encode(request)));
    }

    /** Sends {@code cookie + " " + body} and returns the reply body (after the cookie). */
    public byte[] raw(String cookie, byte[] body) throws IOException {
        try {
            return client.exchange(cookie, body).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NgException timeout) {
                throw new IOException("no ng reply for cookie " + cookie + " from " + target + ": " + timeout.getMessage());
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for ng cookie " + cookie, e);
        }
    }

    public static Map<String, Object> decode(byte[] body) throws Exception {
        return BencodeReader.decodeDictionary(body, 0, body.length);
    }

    @Override
    public void close() {
        client.close();
        timer.shutdownNow();
    }
}
