package io.pinhole.wire.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpMediaTest {

    @Test
    void bodyIsFramesBackToBackAndReadsBack() {
        byte[] body = HttpMedia.body(List.of(new HttpMedia.Frame(0, new byte[] {1, 2, 3}),
                new HttpMedia.Frame(1, new byte[] {9})));
        assertThat(body).containsExactly(0, 4, 0, 1, 2, 3, 0, 2, 1, 9);
        List<HttpMedia.Frame> frames = HttpMedia.frames(body, 2048);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).streamId()).isZero();
        assertThat(frames.get(0).packet()).containsExactly(1, 2, 3);
        assertThat(frames.get(1).streamId()).isEqualTo(1);
        assertThat(HttpMedia.frames(new byte[0], 2048)).as("an empty body: no frames").isEmpty();
    }

    @Test
    void cookieIsUnpaddedBase64url() {
        byte[] body = {(byte) 0xFB, (byte) 0xFF, 0};
        assertThat(HttpMedia.cookie(body)).isEqualTo("-_8A").doesNotContain("=");
        assertThat(Base64.getUrlDecoder().decode(HttpMedia.cookie(body))).containsExactly(body);
    }

    @Test
    void brokenBodiesAreRefusedNamingWhy() {
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMedia.frames(new byte[] {0}, 2048))
                .withMessage("truncated frame header at byte 0");
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMedia.frames(new byte[] {0, 5, 0, 1}, 2048))
                .withMessage("truncated frame: 5 bytes announced, 2 left");
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMedia.frames(new byte[] {0, 0}, 2048))
                .withMessageStartingWith("empty frame");
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMedia.frames(new byte[] {0x10, 0, 0}, 2048))
                .withMessageStartingWith("oversized frame of 4096 bytes");
    }
}
