import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;
import io.pinhole.wire.stream.HttpMedia;
import io.pinhole.wire.stream.MediaFrames;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of bench/edge: N calls through the relay, side A (the agent's end) on one transport
 * (udp, tcp, tls or http), side B on UDP, G.711 pacing (one 172-byte RTP packet every 20 ms each
 * way per call). Every packet carries its send time (System.nanoTime, one process, one clock), so
 * each receiver measures one-way latency: "up" A -> relay -> B, "down" B -> relay -> A. All client
 * sockets live on one Netty event loop (confined counters, no locks); a 1 ms ticker sends the
 * calls whose 20 ms slot it is. Prints one line of key=value pairs; run.sh adds the bytes the
 * firewall counted on A's side of the relay. Run by bench/edge/run.sh.
 */
public final class EdgeBench {

    private static final int PACKET = 172;
    /** Side A's UDP sockets bind from here (run.sh counts them on the wire; B's are ephemeral, above). */
    static final int A_UDP_BASE = 20000;
    private static final Pattern MEDIA = Pattern.compile("(?m)^m=audio (\\d+)");

    private final String transport;
    private final int calls;
    private final int seconds;
    private final int warmSeconds;
    private final int streamPort;
    private final EventLoopGroup loop;
    private final Shard[] shards;
    private final Call[] all;

    /**
     * The calls one event loop thread carries, and what it counted: every field is touched on that
     * loop only, so the threads share nothing while they send and receive (merged at the end).
     */
    private static final class Shard {
        final EventLoop loop;
        final List<Call> calls = new ArrayList<>();
        long[] up;
        long[] down;
        int ups;
        int downs;
        boolean measuring;
        long sentUp;
        long sentDown;
        long receivedUp;
        long receivedDown;

        Shard(EventLoop loop) {
            this.loop = loop;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new EdgeBench(o.get("transport"), Integer.parseInt(o.get("calls")), Integer.parseInt(o.getOrDefault("seconds", "10")),
                Integer.parseInt(o.getOrDefault("warm", "3")), Integer.parseInt(o.getOrDefault("stream-port", "0")),
                Integer.parseInt(o.getOrDefault("threads", "2")))
                .run(o.getOrDefault("ng", "127.0.0.1:2223"));
    }

    EdgeBench(String transport, int calls, int seconds, int warmSeconds, int streamPort, int threads) {
        this.transport = transport;
        this.calls = calls;
        this.seconds = seconds;
        this.warmSeconds = warmSeconds;
        this.streamPort = streamPort;
        this.all = new Call[calls];
        this.loop = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.shards = new Shard[threads];
        for (int i = 0; i < threads; i++) {
            shards[i] = new Shard(loop.next());
        }
    }

    /** One call: B's UDP socket and relay address, A's link. Touched only on the loop after set-up. */
    private final class Call {
        final int index;
        final Shard shard;
        Channel b;
        InetSocketAddress relayForB;
        Channel a;
        InetSocketAddress relayForA;
        String token;
        boolean ready;
        Channel poll;
        Channel post;
        boolean posting;
        final List<ByteBuf> waiting = new ArrayList<>();

        Call(int index, Shard shard) {
            this.index = index;
            this.shard = shard;
        }
    }

    void run(String ng) throws Exception {
        String[] hp = ng.split(":");
        InetSocketAddress control = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        int perSecond = 50 * calls * 2;
        for (Shard shard : shards) {
            shard.up = new long[50 * calls * (seconds + 1) / shards.length + 1000];
            shard.down = new long[50 * calls * (seconds + 1) / shards.length + 1000];
        }
        try (DatagramSocket ngSocket = new DatagramSocket()) {
            ngSocket.setSoTimeout(5000);
            for (int i = 0; i < calls; i++) {
                Call c = new Call(i, shards[i % shards.length]);
                c.shard.calls.add(c);
                all[i] = c;
                c.b = udp(c, false);
                if (transport.equals("udp")) {
                    c.a = udp(c, true);
                }
                int aPort = transport.equals("udp") ? ((InetSocketAddress) c.a.localAddress()).getPort() : 9;
                String id = "edge-bench-" + i;
                Map<String, Object> offer = ng(ngSocket, control, Map.of("command", "offer", "call-id", id, "from-tag", "a",
                        "sdp", sdp(aPort), "media-transport", transport.equals("udp") ? "udp" : transport));
                Map<String, Object> answer = ng(ngSocket, control, Map.of("command", "answer", "call-id", id,
                        "from-tag", "a", "to-tag", "b", "sdp", sdp(((InetSocketAddress) c.b.localAddress()).getPort())));
                c.relayForB = new InetSocketAddress("127.0.0.1", port((String) offer.get("sdp")));
                c.relayForA = new InetSocketAddress("127.0.0.1", port((String) answer.get("sdp")));
                c.token = (String) offer.get("tcp-token");
            }
            connectAll();
            long ready = java.util.Arrays.stream(all).filter(c -> c.ready).count();
            long start = System.nanoTime();
            List<ScheduledFuture<?>> tickers = new ArrayList<>();
            for (Shard shard : shards) {
                tickers.add(shard.loop.scheduleAtFixedRate(new Runnable() {
                    int slot;

                    @Override
                    public void run() {
                        tick(shard, slot);
                        slot = (slot + 1) % 20;
                    }
                }, 1, 1, TimeUnit.MILLISECONDS));
            }
            Thread.sleep(warmSeconds * 1000L);
            for (Shard shard : shards) {
                shard.loop.submit(() -> {
                    shard.measuring = true;
                    shard.sentUp = shard.sentDown = shard.receivedUp = shard.receivedDown = 0;
                }).sync();
            }
            Counters.zero();
            Thread.sleep(seconds * 1000L);
            for (Shard shard : shards) {
                shard.loop.submit(() -> shard.measuring = false).sync();
            }
            long[] wire = Counters.read();
            tickers.forEach(t -> t.cancel(false));
            Thread.sleep(300);
            long[] u = new long[0];
            long[] d = new long[0];
            long sentUp = 0;
            long sentDown = 0;
            long receivedUp = 0;
            long receivedDown = 0;
            for (Shard shard : shards) {
                u = concat(u, shard.up, shard.ups);
                d = concat(d, shard.down, shard.downs);
                sentUp += shard.sentUp;
                sentDown += shard.sentDown;
                receivedUp += shard.receivedUp;
                receivedDown += shard.receivedDown;
            }
            Arrays.sort(u);
            Arrays.sort(d);
            System.out.printf("transport=%s calls=%d threads=%d ready=%d seconds=%d offered_pps=%d sent_up=%d received_up=%d"
                            + " sent_down=%d received_down=%d up_p50_us=%d up_p99_us=%d down_p50_us=%d down_p99_us=%d"
                            + " wire_up_bytes=%d wire_down_bytes=%d bytes_per_packet_up=%.1f bytes_per_packet_down=%.1f"
                            + " bytes_per_packet=%.1f%n",
                    transport, calls, shards.length, ready, seconds, perSecond, sentUp, receivedUp, sentDown, receivedDown,
                    p(u, 50), p(u, 99), p(d, 50), p(d, 99), wire[0], wire[1], per(wire[0], sentUp),
                    per(wire[1], receivedDown), per(wire[0] + wire[1], sentUp + receivedDown));
            for (int i = 0; i < calls; i++) {
                ng(ngSocket, control, Map.of("command", "delete", "call-id", "edge-bench-" + i));
            }
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static long[] concat(long[] a, long[] b, int bLength) {
        long[] all = Arrays.copyOf(a, a.length + bLength);
        System.arraycopy(b, 0, all, a.length, bLength);
        return all;
    }

    private static double per(long bytes, long packets) {
        return packets == 0 ? -1 : (double) bytes / packets;
    }

    /**
     * The iptables chain run.sh made in the bench's namespace: rule 1 counts what A sends to the
     * relay, rule 2 what the relay sends to A, IP headers and TCP's own segments (ACKs) included.
     */
    static final class Counters {
        static final String CHAIN = "EDGEBENCH";

        static void zero() throws Exception {
            new ProcessBuilder("iptables", "-Z", CHAIN).inheritIO().start().waitFor();
        }

        /** {bytes A -> relay, bytes relay -> A}; zeros when the chain is missing. */
        static long[] read() throws Exception {
            Process p = new ProcessBuilder("iptables", "-L", CHAIN, "-n", "-v", "-x").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor();
            long[] bytes = new long[2];
            Matcher m = Pattern.compile("(?m)^\\s*\\d+\\s+(\\d+)\\s+.*/\\* (up|down) \\*/").matcher(out);
            while (m.find()) {
                bytes[m.group(2).equals("up") ? 0 : 1] += Long.parseLong(m.group(1));
            }
            return bytes;
        }
    }

    private static long p(long[] sorted, int percent) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000;
    }

    private static String sdp(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }

    private static int port(String sdp) {
        Matcher m = MEDIA.matcher(sdp);
        if (!m.find()) {
            throw new IllegalStateException("no m=audio in " + sdp);
        }
        return Integer.parseInt(m.group(1));
    }

    private static int cookie;

    private static Map<String, Object> ng(DatagramSocket s, InetSocketAddress to, Map<String, Object> command) throws Exception {
        String c = "b" + (++cookie) + " ";
        byte[] body = BencodeWriter.encode(command, StandardCharsets.ISO_8859_1);
        byte[] out = new byte[c.length() + body.length];
        System.arraycopy(c.getBytes(StandardCharsets.US_ASCII), 0, out, 0, c.length());
        System.arraycopy(body, 0, out, c.length(), body.length);
        s.send(new java.net.DatagramPacket(out, out.length, to));
        byte[] in = new byte[65536];
        java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
        s.receive(p);
        int space = new String(in, 0, Math.min(p.getLength(), 40), StandardCharsets.ISO_8859_1).indexOf(' ');
        Map<String, Object> reply = BencodeReader.decodeDictionary(in, space + 1, p.getLength() - space - 1);
        if (!"ok".equals(reply.get("result"))) {
            throw new IllegalStateException(command.get("command") + ": " + reply);
        }
        return reply;
    }

    // --- sending ---------------------------------------------------------------------------------

    private ByteBuf packet(int index, boolean fromA) {
        ByteBuf p = Unpooled.buffer(PACKET);
        p.writeByte(0x80).writeByte(0).writeShort(0).writeInt(0).writeInt(fromA ? 0xA : 0xB);
        p.writeLong(System.nanoTime()).writeInt(index);
        p.writeZero(PACKET - p.writerIndex());
        return p;
    }

    private void tick(Shard shard, int slot) {
        List<Call> mine = shard.calls;
        for (int i = slot; i < mine.size(); i += 20) {
            Call c = mine.get(i);
            c.b.write(new DatagramPacket(packet(c.index, false), c.relayForB), c.b.voidPromise());
            if (shard.measuring) {
                shard.sentDown++;
            }
            if (sendA(c)) {
                if (shard.measuring) {
                    shard.sentUp++;
                }
            }
        }
        for (int i = slot; i < mine.size(); i += 20) {
            mine.get(i).b.flush();
            if (mine.get(i).a != null) {
                mine.get(i).a.flush();
            }
        }
    }

    private boolean sendA(Call c) {
        switch (transport) {
            case "udp" -> c.a.write(new DatagramPacket(packet(c.index, true), c.relayForA), c.a.voidPromise());
            case "tcp", "tls" -> {
                if (!c.ready || !c.a.isWritable()) {
                    return false;
                }
                ByteBuf p = packet(c.index, true);
                ByteBuf frame = Unpooled.buffer(MediaFrames.HEADER + PACKET);
                frame.writeShort(PACKET + 1).writeByte(0).writeBytes(p);
                p.release();
                c.a.write(frame, c.a.voidPromise());
            }
            case "http" -> {
                if (!c.ready) {
                    return false;
                }
                ByteBuf p = packet(c.index, true);
                if (c.posting) {
                    // at most one request body of queued media (what a relay accepts), oldest dropped as UDP would
                    if (c.waiting.size() >= HttpMedia.MAX_REQUEST_BODY / (PACKET + MediaFrames.HEADER)) {
                        c.waiting.remove(0).release();
                    }
                    c.waiting.add(p);
                } else {
                    List<ByteBuf> one = new ArrayList<>();
                    one.add(p);
                    post(c, one);
                }
            }
            default -> throw new IllegalArgumentException(transport);
        }
        return true;
    }

    private void post(Call c, List<ByteBuf> packets) {
        ByteBuf body = Unpooled.buffer();
        for (ByteBuf p : packets) {
            body.writeShort(p.readableBytes() + 1).writeByte(0).writeBytes(p);
            p.release();
        }
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, HttpMedia.PATH, body);
        r.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.AUTHORIZATION, HttpMedia.BEARER + c.token)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpMedia.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        c.posting = true;
        c.post.writeAndFlush(r, c.post.voidPromise());
    }

    private void poll(Call c) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, HttpMedia.PATH);
        r.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.AUTHORIZATION, HttpMedia.BEARER + c.token)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        c.poll.writeAndFlush(r, c.poll.voidPromise());
    }

    // --- receiving -------------------------------------------------------------------------------

    /** A packet one of the shard's sockets received (on the shard's loop). */
    private static void received(Shard s, ByteBuf p) {
        if (p.readableBytes() < 24) {
            return;
        }
        long latency = System.nanoTime() - p.getLong(p.readerIndex() + 12);
        boolean fromA = p.getInt(p.readerIndex() + 8) == 0xA;
        if (!s.measuring) {
            return;
        }
        if (fromA) {
            s.receivedUp++;
            if (s.ups < s.up.length) {
                s.up[s.ups++] = latency;
            }
        } else {
            s.receivedDown++;
            if (s.downs < s.down.length) {
                s.down[s.downs++] = latency;
            }
        }
    }

    private Channel udp(Call c, boolean sideA) throws InterruptedException {
        return new Bootstrap().group(c.shard.loop).channel(NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                        received(c.shard, msg.content());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", sideA ? A_UDP_BASE + c.index : 0)).sync().channel();
    }

    private void connectAll() throws Exception {
        if (transport.equals("udp")) {
            for (Call c : all) {
                c.ready = true;
            }
            return;
        }
        SslContext tls = transport.equals("tls")
                ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
        CountDownLatch open = new CountDownLatch(calls);
        for (Call c : all) {
            if (transport.equals("http")) {
                c.post = http(c, false, null);
                c.poll = http(c, true, open);
                poll(c); // opens the session; its answer starts the polling loop
            } else {
                c.a = stream(c, tls, open);
            }
            if (c.index % 50 == 49) {
                Thread.sleep(20); // no accept storm: the relay's backlog is finite
            }
        }
        if (!open.await(60, TimeUnit.SECONDS)) {
            System.err.println("only " + (calls - open.getCount()) + " of " + calls + " links came up");
        }
    }

    private Channel stream(Call c, SslContext tls, CountDownLatch open) throws InterruptedException {
        Channel ch = new Bootstrap().group(c.shard.loop).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), "127.0.0.1", streamPort));
                        }
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xFFFF + 2, 0, 2, 0, 2),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                        int stream = frame.readUnsignedByte();
                                        if (stream == MediaFrames.CONTROL) {
                                            if (!c.ready && frame.toString(StandardCharsets.US_ASCII).equals(MediaFrames.OK)) {
                                                c.ready = true;
                                                open.countDown();
                                            }
                                            return;
                                        }
                                        received(c.shard, frame);
                                    }
                                });
                    }
                }).connect("127.0.0.1", streamPort).sync().channel();
        byte[] hello = MediaFrames.hello(c.token);
        ch.writeAndFlush(Unpooled.wrappedBuffer(hello));
        return ch;
    }

    private Channel http(Call c, boolean polling, CountDownLatch open) throws InterruptedException {
        return new Bootstrap().group(c.shard.loop).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        if (r.status().code() != 200) {
                                            System.err.println("call " + c.index + ": HTTP " + r.status());
                                            return;
                                        }
                                        ByteBuf body = r.content();
                                        while (body.readableBytes() >= 3) {
                                            int length = body.readUnsignedShort();
                                            ByteBuf frame = body.readSlice(length);
                                            if (frame.readUnsignedByte() == 0) {
                                                received(c.shard, frame);
                                            }
                                        }
                                        if (polling) {
                                            if (!c.ready) {
                                                c.ready = true;
                                                open.countDown();
                                            }
                                            poll(c);
                                        } else {
                                            c.posting = false;
                                            if (!c.waiting.isEmpty()) {
                                                List<ByteBuf> next = new ArrayList<>(c.waiting);
                                                c.waiting.clear();
                                                post(c, next);
                                            }
                                        }
                                    }
                                });
                    }
                }).connect("127.0.0.1", streamPort).sync().channel();
    }
}
