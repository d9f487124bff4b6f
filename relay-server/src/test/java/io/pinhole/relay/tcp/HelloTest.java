package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hello and the admission decision, without sockets. */
class HelloTest {

    private static String token(int stream, String payload) {
        ByteBuf buf = Unpooled.copiedBuffer(payload, StandardCharsets.ISO_8859_1);
        try {
            String t = Hello.token(stream, buf);
            assertThat(buf.readerIndex()).as("parsing consumes nothing").isZero();
            return t;
        } finally {
            buf.release();
        }
    }

    @Test
    void readsABase64UrlToken() {
        assertThat(token(255, "q3-_Zx09AbCdEfGhIjKlMn")).isEqualTo("q3-_Zx09AbCdEfGhIjKlMn");
    }

    @ParameterizedTest(name = "stream {0}, \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "0|q3-_Zx09AbCdEfGhIjKlMn",  // media frame, not control
            "255|''",                     // no token
            "255|with space",
            "255|token+slash/",           // base64, not base64url
            "255|tok\u00e9n",
            "255|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})  // 65 characters
    void refusesAnythingElse(int stream, String payload) {
        assertThat(token(stream, payload)).isNull();
    }

    @ParameterizedTest(name = "known={0}, {1} of {2} open -> {3}")
    @CsvSource(delimiter = '|', value = {
            "true|0|4|",
            "true|3|4|",
            "true|4|4|call has 4 connections already (tcp-connections-per-call)",
            "false|0|4|unknown token"})
    void admitsKnownTokensUpToTheCallsCap(boolean known, int open, int perCall, String refusal) {
        assertThat(StreamAdmission.refusal(known, open, perCall)).isEqualTo(refusal);
    }
}
