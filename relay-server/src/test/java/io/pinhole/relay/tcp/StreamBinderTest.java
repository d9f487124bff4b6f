package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.MediaOptions;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.call.SdpExchange;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.MediaEgress;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.ports.PortPool;
import io.pinhole.relay.sdp.IceMode;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A media connection bound to a call side, and a stream a re-offer adds to that side: when the
 * offer returns (and its ng reply tells the far side where to send), the stream goes over the
 * connection in both directions, however late the call's loop gets to it. The test's thread is
 * the control thread; the connection is a stand-in whose egresses only mark where media would go.
 */
class StreamBinderTest {

    private final MediaTransport transport = new MediaTransport(InetAddress.getLoopbackAddress(), 1, 2048, 16,
            new BindingResponder("binder"), 0);
    private final CallRegistry registry = new CallRegistry(new PortPool(47200, 47263, 0, System::nanoTime));
    private final OfferAnswer offerAnswer = new OfferAnswer(registry, transport, "127.0.0.1", false, System::nanoTime);
    private final DefaultEventLoop control = new DefaultEventLoop();
    private final DefaultEventLoop connectionLoop = new DefaultEventLoop();

    @AfterEach
    void close() {
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        connectionLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        transport.close();
    }

    @Test
    void aStreamAddedByAReOfferIsCarriedOnceTheOfferReturnsThoughTheCallsLoopIsBusy() throws Exception {
        offerAnswer.offer(exchange(null, "m=audio 40000 RTP/AVP 0\r\n"));
        offerAnswer.answer(exchange("b", "m=audio 40010 RTP/AVP 0\r\n"));
        Call call = registry.find("c1");
        Link link = new Link(connectionLoop, call.loop());
        Map<Integer, Endpoint> carried = new ConcurrentHashMap<>();
        CountDownLatch bound = new CountDownLatch(1);
        new StreamBinder(registry, control, 4).bind(registry.streamToken(call, call.first()), link,
                new StreamBinder.Outcome() {
                    @Override
                    public void carries(int mediaIndex, Endpoint endpoint) {
                        carried.put(mediaIndex, endpoint);
                    }

                    @Override
                    public void bound(EventLoop callLoop, String callId) {
                        bound.countDown();
                    }

                    @Override
                    public void refused(String reason) {
                    }
                });
        assertThat(bound.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(call.first().endpoints().get(0).egress()).isSameAs(link.egresses.get(0));

        // a busy machine wakes the call's loop late: here it is busy from the moment the stream is added
        link.busyCallLoopOnNextEgress = true;
        offerAnswer.offer(exchange(null, "m=audio 40000 RTP/AVP 0\r\nm=video 40002 RTP/AVP 96\r\n"));

        Endpoint video = call.first().endpoints().get(1);
        assertThat(video.egress()).as("media for the new stream goes over the connection, not to its SDP address")
                .isSameAs(link.egresses.get(1));
        assertThat(carried).as("and what the phone sends on it is taken").containsEntry(1, video);
    }

    private static SdpExchange exchange(String toTag, String media) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" + media;
        return new SdpExchange("c1", "a", toTag, sdp,
                new MediaOptions(false, null, null, true, false, false, IceMode.REMOVE, false, false, false));
    }

    /** The connection: its egresses by media index; on demand it keeps the call's loop busy for a while. */
    private static final class Link implements StreamLink {

        final Map<Integer, MediaEgress> egresses = new ConcurrentHashMap<>();
        private final EventLoop loop;
        private final EventLoop callLoop;
        volatile boolean busyCallLoopOnNextEgress;

        Link(EventLoop loop, EventLoop callLoop) {
            this.loop = loop;
            this.callLoop = callLoop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public void whenClosed(Runnable action) {
        }

        @Override
        public MediaEgress egress(int mediaIndex) {
            if (busyCallLoopOnNextEgress) {
                busyCallLoopOnNextEgress = false;
                callLoop.execute(() -> sleep(300));
            }
            MediaEgress egress = new MediaEgress() {
                @Override
                public boolean write(ByteBuf packet, boolean rtcpComponent) {
                    packet.release();
                    return true;
                }

                @Override
                public void flush(long nowNanos) {
                }

                @Override
                public String transport() {
                    return "tcp";
                }
            };
            egresses.put(mediaIndex, egress);
            return egress;
        }

        @Override
        public void close() {
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
