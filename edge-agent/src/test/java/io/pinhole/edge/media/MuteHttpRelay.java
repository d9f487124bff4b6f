package io.pinhole.edge.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the relay's HTTP media port on real sockets that stops answering when told, as a
 * path that silently forgot the connection would: it answers the first {@code polls} long polls
 * (the first at once, as the relay answers the request that opens a session, the rest empty after
 * {@code holdMillis}) and never more, and answers POSTs only if {@code posts}.
 */
final class MuteHttpRelay implements AutoCloseable {

    /** One request as it arrived: its method, the connection it came on (counted from 1), when. */
    record Request(String method, int connection, long nanos) {
    }

    private static final byte[] EMPTY_200 = ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nCache-Control: no-store\r\n"
            + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final int polls;
    private final long holdMillis;
    private final boolean posts;
    private final AtomicInteger pollsAnswered = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    MuteHttpRelay(int polls, long holdMillis, boolean posts) throws IOException {
        this.polls = polls;
        this.holdMillis = holdMillis;
        this.posts = posts;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "mute-http-relay");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                int n = connections.incrementAndGet();
                daemon(() -> serve(s, n));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head;
            while ((head = head(in)) != null) {
                String method = head.substring(0, head.indexOf(' '));
                in.readNBytes(contentLength(head));
                requests.add(new Request(method, connection, System.nanoTime()));
                if (method.equals("GET")) {
                    int n = pollsAnswered.incrementAndGet();
                    if (n > polls) {
                        continue; // read on, answer nothing: the next request would be a client's error
                    }
                    if (n > 1) {
                        Thread.sleep(holdMillis);
                    }
                    out.write(EMPTY_200);
                } else if (posts) {
                    out.write(EMPTY_200);
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the client closed it: what the tests wait for
        }
    }

    /** The request line and headers, or null at the end of the stream. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
