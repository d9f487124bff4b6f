package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.wire.stream.MediaFrames;
import org.junit.jupiter.api.Test;

class TlsPortSnifferTest {

    @Test
    void httpMethodsAreHttpAndFrameHeadersAreNot() {
        for (String method : new String[] {"GET", "POST", "PUT", "HEAD", "OPTIONS"}) {
            assertThat(TlsPortSniffer.isHttp(method.charAt(0))).as(method).isTrue();
        }
        // the first frame is a hello: at most MAX_TOKEN + 1 bytes, its first byte 0
        assertThat(TlsPortSniffer.isHttp(MediaFrames.hello("cwSH0S8cVKwivxFr5xYQtA")[0])).isFalse();
        assertThat(TlsPortSniffer.isHttp(MediaFrames.hello("A".repeat(MediaFrames.MAX_TOKEN))[0])).isFalse();
        assertThat(TlsPortSniffer.isHttp(0)).isFalse();
    }
}
