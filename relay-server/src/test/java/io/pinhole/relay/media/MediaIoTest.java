package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** Which transport a relay runs on for each setting, and what it says when that is not the one asked for. */
class MediaIoTest {

    private static final Throwable NO_URING = new UnsupportedOperationException("io_uring_disabled=2");
    private static final Throwable NO_EPOLL = new UnsatisfiedLinkError("no netty_transport_native_epoll");

    @Test
    void epollStaysEpollAndNeverLooksAtIoUring() {
        assertThat(MediaIo.EPOLL.choose(null, null)).isEqualTo(new MediaIo.Choice(MediaIo.Kind.EPOLL, null));
        assertThat(MediaIo.EPOLL.choose(null, NO_URING)).isEqualTo(new MediaIo.Choice(MediaIo.Kind.EPOLL, null));
    }

    @Test
    void ioUringAndAutoTakeIoUringWhenItLoads() {
        assertThat(MediaIo.IO_URING.choose(null, null).kind()).isEqualTo(MediaIo.Kind.IO_URING);
        assertThat(MediaIo.AUTO.choose(NO_EPOLL, null)).isEqualTo(new MediaIo.Choice(MediaIo.Kind.IO_URING, null));
    }

    @Test
    void fallsBackToEpollNamingWhyIoUringDidNotLoad() {
        for (MediaIo asked : new MediaIo[] {MediaIo.IO_URING, MediaIo.AUTO}) {
            MediaIo.Choice c = asked.choose(null, NO_URING);
            assertThat(c.kind()).isEqualTo(MediaIo.Kind.EPOLL);
            assertThat(c.fallback()).isEqualTo("io_uring unavailable (" + NO_URING + "), media uses native epoll");
        }
    }

    @Test
    void fallsBackToNioWhenNeitherNativeTransportLoads() {
        MediaIo.Choice c = MediaIo.IO_URING.choose(NO_EPOLL, NO_URING);
        assertThat(c.kind()).isEqualTo(MediaIo.Kind.NIO);
        assertThat(c.fallback()).contains("io_uring_disabled=2").contains("no netty_transport_native_epoll");
        assertThat(MediaIo.EPOLL.choose(NO_EPOLL, null).kind()).isEqualTo(MediaIo.Kind.NIO);
    }

    @Test
    void parsesTheWaysConfigurationWritesIt() {
        assertThat(MediaIo.parse("io_uring")).isEqualTo(MediaIo.IO_URING);
        assertThat(MediaIo.parse("io-uring")).isEqualTo(MediaIo.IO_URING);
        assertThat(MediaIo.parse(" IOURING ")).isEqualTo(MediaIo.IO_URING);
        assertThat(MediaIo.parse("Epoll")).isEqualTo(MediaIo.EPOLL);
        assertThat(MediaIo.parse("auto")).isEqualTo(MediaIo.AUTO);
        assertThatIllegalArgumentException().isThrownBy(() -> MediaIo.parse("kqueue"))
                .withMessageStartingWith("pinhole.relay.media-io must be");
    }
}
