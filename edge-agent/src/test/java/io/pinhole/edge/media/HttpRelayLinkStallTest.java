package io.pinhole.edge.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP media link over real sockets to a relay stand-in that stops answering, as a firewall,
 * NAT or forward proxy that forgot the connection leaves it: the link must say it broke within its
 * bound and open again, instead of waiting for ever.
 */
class HttpRelayLinkStallTest {

    private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUv";
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final MediaSession session = new MediaSession("stall-call", group.next());
    /** What the link told the agent, with when (System.nanoTime()). */
    private final BlockingQueue<Broken> broken = new LinkedBlockingQueue<>();
    private HttpRelayLink link;

    private record Broken(String why, long nanos) {
    }

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpRelayLink start(MuteHttpRelay relay, HttpTimeouts timeouts) {
        link = new HttpRelayLink(session, "127.0.0.1", relay.port(), TOKEN, null,
                why -> broken.add(new Broken(why, System.nanoTime())), timeouts);
        link.start();
        return link;
    }

    @Test
    void aFirstPollNeverAnsweredBreaksTheLinkAfterTheLongestHoldPlusTheMarginAndItOpensAgain() throws Exception {
        try (MuteHttpRelay relay = new MuteHttpRelay(0, 0, true)) {
            start(relay, new HttpTimeouts(Duration.ofMillis(1000), Duration.ofMillis(500), Duration.ofSeconds(5)));

            MuteHttpRelay.Request poll = relay.requests.poll(5, TimeUnit.SECONDS);
            assertThat(poll).isNotNull();
            assertThat(poll.method()).isEqualTo("GET");
            Broken b = broken.poll(10, TimeUnit.SECONDS);
            assertThat(b).as("the link must notice the unanswered poll").isNotNull();
            assertThat(b.why()).contains("HTTP to relay 127.0.0.1:" + relay.port())
                    .contains("its long poll had no answer").contains("the relay holds one at most 1.0 s");
            assertThat(millis(b.nanos() - poll.nanos())).as("1.5 s bound, checked every 0.5 s").isBetween(1400L, 3000L);

            MuteHttpRelay.Request again = relay.requests.poll(5, TimeUnit.SECONDS);
            assertThat(again).as("opened again").isNotNull();
            assertThat(again.method()).isEqualTo("GET");
            assertThat(again.connection()).isGreaterThan(poll.connection());
            assertThat(millis(again.nanos() - b.nanos())).as("a second later").isBetween(800L, 2500L);
        }
    }

    @Test
    void aPollUnansweredLongAfterTheRelaysOwnHoldBreaksTheLinkLongBeforeTheLongestHold() throws Exception {
        // the relay answers the opening poll at once and four more empty after its 200 ms hold, then
        // falls silent; with 30 s allowed for a hold the link must go by what it saw: 0.2 s + 1 s
        try (MuteHttpRelay relay = new MuteHttpRelay(5, 200, true)) {
            start(relay, new HttpTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5)));

            MuteHttpRelay.Request last = null;
            for (int i = 0; i < 6; i++) {
                last = relay.requests.poll(5, TimeUnit.SECONDS);
                assertThat(last).isNotNull();
            }
            Broken b = broken.poll(10, TimeUnit.SECONDS);
            assertThat(b).as("the link must notice the unanswered poll").isNotNull();
            assertThat(b.why()).contains("its long poll had no answer")
                    .containsPattern("the relay answered the earlier ones empty within 0\\.[23] s");
            assertThat(millis(b.nanos() - last.nanos())).as("about 1.2 s, checked every 0.5 s").isBetween(1100L, 3500L);

            MuteHttpRelay.Request again = relay.requests.poll(5, TimeUnit.SECONDS);
            assertThat(again).as("opened again").isNotNull();
            assertThat(again.method()).isEqualTo("GET");
        }
    }

    @Test
    void aPostNeverAnsweredBreaksTheLinkAfterItsBoundAndItOpensAgain() throws Exception {
        try (MuteHttpRelay relay = new MuteHttpRelay(Integer.MAX_VALUE, 200, false)) {
            start(relay, new HttpTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(1000)));

            MuteHttpRelay.Request post = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (post == null && System.nanoTime() < until) {
                // a phone's packet every 20 ms: dropped until the link is bound, then POSTed
                session.loop.execute(() -> link.send(0, Unpooled.wrappedBuffer(new byte[172])));
                MuteHttpRelay.Request r = relay.requests.poll(20, TimeUnit.MILLISECONDS);
                if (r != null && r.method().equals("POST")) {
                    post = r;
                }
            }
            assertThat(post).as("a POST went out").isNotNull();
            Broken b = broken.poll(10, TimeUnit.SECONDS);
            assertThat(b).as("the link must notice the unanswered POST").isNotNull();
            assertThat(b.why()).contains("a POST had no answer");
            assertThat(millis(b.nanos() - post.nanos())).as("1 s bound, checked every 0.5 s").isBetween(900L, 2500L);

            long after = b.nanos();
            MuteHttpRelay.Request again;
            do {
                again = relay.requests.poll(5, TimeUnit.SECONDS);
            } while (again != null && again.nanos() < after);
            assertThat(again).as("opened again, starting with a poll").isNotNull();
            assertThat(again.method()).isEqualTo("GET");
        }
    }

    @Test
    void aRelayThatAnswersEveryPollAfterItsHoldKeepsTheLink() throws Exception {
        // hold 500 ms, bounds 1.3 s before the hold is seen, 0.8 s after: answers in time never break it
        try (MuteHttpRelay relay = new MuteHttpRelay(Integer.MAX_VALUE, 500, true)) {
            start(relay, new HttpTimeouts(Duration.ofMillis(1000), Duration.ofMillis(300), Duration.ofSeconds(1)));

            assertThat(broken.poll(4, TimeUnit.SECONDS)).isNull();
            assertThat(relay.requests).extracting(MuteHttpRelay.Request::connection).containsOnly(1);
            assertThat(relay.requests.size()).isGreaterThanOrEqualTo(6);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
