package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session's queue and long poll, on an embedded channel: no sockets, time advanced by hand. */
class HttpSessionTest {

    private static final long HOLD = TimeUnit.MILLISECONDS.toNanos(100);

    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final HttpSessions sessions = new HttpSessions(null, 3, 4, HOLD, TimeUnit.SECONDS.toNanos(30));
    private final HttpSession session = new HttpSession("t", ch.eventLoop(), sessions, 3, 4, HOLD,
            TimeUnit.SECONDS.toNanos(30));

    HttpSessionTest() {
        session.bound(ch.eventLoop(), "call-1");
    }

    @AfterEach
    void finish() {
        ch.finishAndReleaseAll();
    }

    private static ByteBuf frame(int seq) {
        return Unpooled.buffer().writeShort(2).writeByte(0).writeByte(seq);
    }

    private FullHttpResponse answer() {
        FullHttpResponse r = ch.readOutbound();
        assertThat(r).as("an answer").isNotNull();
        return r;
    }

    @Test
    void queueKeepsTheNewestFramesAndCountsTheDropped() {
        for (int i = 0; i < 5; i++) {
            assertThat(session.enqueue(frame(i))).isTrue();
        }
        session.request(ch, null, true, true);
        FullHttpResponse r = answer();
        assertThat(r.status().code()).isEqualTo(200);
        ByteBuf body = r.content();
        assertThat(body.readableBytes()).isEqualTo(3 * 4);
        assertThat(body.getByte(3)).as("oldest kept").isEqualTo((byte) 2);
        assertThat(body.getByte(11)).as("newest").isEqualTo((byte) 4);
        assertThat(sessions.droppedPackets()).isEqualTo(2);
        r.release();
    }

    @Test
    void pollIsHeldUntilMediaComes() {
        session.request(ch, null, true, true);
        assertThat((Object) ch.readOutbound()).as("held").isNull();
        session.enqueue(frame(7));
        assertThat((Object) ch.readOutbound()).as("not before the flush").isNull();
        session.deliver();
        FullHttpResponse r = answer();
        assertThat(r.content().readableBytes()).isEqualTo(4);
        assertThat(r.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
        r.release();
    }

    @Test
    void pollIsAnsweredEmptyAfterTheHold() {
        session.request(ch, null, true, true);
        ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        FullHttpResponse r = answer();
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.content().readableBytes()).isZero();
        r.release();
    }

    @Test
    void requestWithMediaIsAnsweredAtOnceAndANewerPollAnswersTheOlder() {
        session.request(ch, null, true, true);
        session.request(ch, null, true, true);
        FullHttpResponse older = answer();
        assertThat(older.content().readableBytes()).as("the older poll, empty").isZero();
        older.release();
        assertThat((Object) ch.readOutbound()).as("the newer one held").isNull();
    }

    @Test
    void closingAnswersTheHeldPoll410AndRefusesLaterRequests() {
        session.request(ch, null, true, true);
        session.enqueue(frame(1)); // queued while held, never flushed: released with the session
        session.close();
        assertThat(answer().status().code()).isEqualTo(410);
        assertThat(session.isActive()).isFalse();
        assertThat(session.enqueue(frame(2))).isFalse();
    }
}
