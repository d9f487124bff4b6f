package io.pinhole.relay.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP media connection whose request, once its first byte came, is not whole within
 * the deadline ({@code tcp-hello-timeout}): a slowloris sending a header byte now and then ties
 * up no more than that. Sits before the HTTP codec; the media handler says when a request is whole.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    private final long deadlineNanos;
    private ScheduledFuture<?> timer;

    RequestDeadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    log.info("http media connection from {} closed: request not complete within {} ms",
                            ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
                    ctx.close();
                }
            }, deadlineNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The request in progress is whole: the next one's first byte starts a new deadline. */
    void complete() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        complete();
        ctx.fireChannelInactive();
    }
}
