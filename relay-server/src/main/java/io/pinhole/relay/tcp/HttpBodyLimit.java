package io.pinhole.relay.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's aggregator with a small bound on a request body: a larger one (announced or sent) gets
 * 413 and the connection closes at once, whatever the client asked for, so nothing of it is
 * buffered past the bound and no client can keep a connection busy sending one.
 */
final class HttpBodyLimit extends HttpObjectAggregator {

    private static final Logger log = LoggerFactory.getLogger(HttpBodyLimit.class);

    HttpBodyLimit(int maxBody) {
        super(maxBody);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        log.info("http media connection from {} closed: 413 body over {} bytes", ctx.channel().remoteAddress(),
                maxContentLength());
        HttpAnswers.refuse(ctx.channel(), 413, "body over " + maxContentLength() + " bytes");
    }
}
