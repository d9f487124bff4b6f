package io.pinhole.wire.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaFramesTest {

    @ParameterizedTest(name = "m= line {0}, rtcp {1} -> stream {2}")
    @CsvSource({"0, false, 0", "0, true, 1", "1, false, 2", "3, true, 7", "126, true, 253"})
    void numbersStreamsByMediaLineAndComponent(int index, boolean rtcp, int stream) {
        assertThat(MediaFrames.streamId(index, rtcp)).isEqualTo(stream);
        assertThat(MediaFrames.mediaIndex(stream)).isEqualTo(index);
        assertThat(MediaFrames.isRtcp(stream)).isEqualTo(rtcp);
    }

    @Test
    void controlIsNeitherRtpNorRtcp() {
        assertThat(MediaFrames.isRtcp(MediaFrames.CONTROL)).isFalse();
        // m= line 127's RTCP would be 255, the control stream: 127 lines are all a connection carries
        assertThat(MediaFrames.MAX_MEDIA_INDEX).isEqualTo(126);
        assertThatIllegalArgumentException().isThrownBy(() -> MediaFrames.streamId(127, false));
    }

    @ParameterizedTest(name = "length {0} with max packet {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "1|2048|",
            "2049|2048|",
            "0|2048|empty frame (length 0, no stream id)",
            "2050|2048|oversized frame of 2050 bytes (at most 2049)",
            "65535|2048|oversized frame of 65535 bytes (at most 2049)"})
    void refusesLengthsThatCannotBeRead(int length, int maxPacket, String error) {
        assertThat(MediaFrames.lengthError(length, maxPacket)).isEqualTo(error);
    }

    @Test
    void framesAHelloAndAPacket() {
        assertThat(MediaFrames.hello("q3-_Z")).containsExactly(0, 6, 255, 'q', '3', '-', '_', 'Z');
        assertThat(MediaFrames.frame(2, new byte[] {9, (byte) 0x80, 8, 9}, 1, 2)).containsExactly(0, 3, 2, 0x80, 8);
        assertThat(MediaFrames.frame(MediaFrames.CONTROL, new byte[0], 0, 0)).containsExactly(0, 1, 255);
    }

    @ParameterizedTest
    @CsvSource({"'', false", "a, true", "q3-_Zx09, true", "with space, false", "plus+, false", "slash/, false",
            "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', true",
            "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', false"})
    void tokensAreShortBase64Url(String token, boolean valid) {
        assertThat(MediaFrames.isToken(token)).isEqualTo(valid);
    }
}
