package io.pinhole.wire.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BencodeTest {

    private static Object decode(String s) throws BencodeException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return BencodeReader.decode(b, 0, b.length);
    }

    @Test
    void decodesAKamailioOffer() throws Exception {
        String wire = "d7:call-id5:abc@x5:flagsl13:trust-addresse7:command5:offer3:sdp3:v=0"
                + "7:replacel6:origin18:session-connectione3:ICE6:removee";
        Object v = decode(wire);
        assertThat(v).isEqualTo(Map.of("call-id", "abc@x", "flags", List.of("trust-address"), "command", "offer",
                "sdp", "v=0", "replace", List.of("origin", "session-connection"), "ICE", "remove"));
    }

    @Test
    void decodesIntegersAndNesting() throws Exception {
        assertThat(decode("i42e")).isEqualTo(42L);
        assertThat(decode("i-7e")).isEqualTo(-7L);
        assertThat(decode("ld1:ai1eelee")).isEqualTo(List.of(Map.of("a", 1L), List.of()));
    }

    @Test
    void encodesSortedKeysAndRoundTripsEveryByte() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sdp", "s=caf\u00e9\r\n");
        m.put("result", "ok");
        m.put("n", 3L);
        byte[] out = BencodeWriter.encode(m);
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("d1:ni3e6:result2:ok3:sdp8:s=caf\u00e9\r\ne");
        assertThat(BencodeReader.decodeDictionary(out, 0, out.length)).isEqualTo(m);
    }

    @Test
    void roundTripsUtf8TextInUtf8() throws Exception {
        Map<String, Object> m = Map.of("sdp", "s=caf\u00e9 \u4e2d", "streams", List.of(Map.of("port", 30000)));
        byte[] out = BencodeWriter.encode(m, StandardCharsets.UTF_8);
        assertThat(out).containsSubsequence("s=caf\u00e9 \u4e2d".getBytes(StandardCharsets.UTF_8));
        assertThat(BencodeReader.decodeDictionary(out, 0, out.length, StandardCharsets.UTF_8))
                .isEqualTo(Map.of("sdp", "s=caf\u00e9 \u4e2d", "streams", List.of(Map.of("port", 30000L))));
    }

    @Test
    void leavesNullValuesOut() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", null);
        m.put("b", 1);
        assertThat(new String(BencodeWriter.encode(m), StandardCharsets.ISO_8859_1)).isEqualTo("d1:bi1ee");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "d", "d3:abc", "d3:abci1", "l", "i12", "5:abc", "d1:ai1eee", "x", "ie", "i1x2e",
            "d i1e1:ae", "999999999999999999999:a", "i-e"})
    void rejectsMalformedOrTruncated(String wire) {
        assertThatThrownBy(() -> decode(wire)).isInstanceOf(BencodeException.class);
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "l".repeat(100) + "e".repeat(100);
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(BencodeException.class).hasMessageContaining("deep");
    }

    @Test
    void requiresADictionaryAtTheTop() {
        byte[] b = "li1ee".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> BencodeReader.decodeDictionary(b, 0, b.length)).isInstanceOf(BencodeException.class);
    }
}
