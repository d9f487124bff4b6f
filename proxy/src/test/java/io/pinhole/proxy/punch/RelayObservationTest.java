package io.pinhole.proxy.punch;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RelayObservationTest {

    private static Map<String, Object> side(String tag, int latched, String address, long port, long packets) {
        Map<String, Object> stream = Map.of("local port", 45000L, "endpoint",
                Map.of("family", "IPv4", "address", address, "port", port), "advertised endpoint",
                Map.of("family", "IPv4", "address", "10.0.0.9", "port", 40002L), "latched", (long) latched,
                "stats", Map.of("packets", packets, "bytes", packets * 172, "errors", 0L));
        return Map.of("tag", tag, "medias", List.of(Map.of("index", 1L, "type", "audio", "streams", List.of(stream))));
    }

    @Test
    void readsEachSidesLatchedAddressAndPacketsFromAQueryReply() {
        Map<String, Object> reply = Map.of("result", "ok", "tags", Map.of(
                "from1", side("from1", 1, "203.0.113.11", 40000, 120),
                "to2", side("to2", 0, "10.0.2.2", 40002, 0)));

        RelayObservation seen = RelayObservation.from(reply, "from1", "to2");

        assertThat(seen.caller()).isEqualTo(new RelayObservation.Stream("203.0.113.11", 40000, true, 120, 1, 40002));
        assertThat(seen.callee()).isEqualTo(new RelayObservation.Stream("10.0.2.2", 40002, false, 0, 1, 40002));
    }

    @Test
    void aSideMissingOrMalformedIsNull() {
        assertThat(RelayObservation.from(Map.of("result", "ok", "tags", Map.of("from1", Map.of("medias", List.of()))),
                "from1", "to2")).isEqualTo(new RelayObservation(null, null));
        assertThat(RelayObservation.from(Map.of("result", "ok"), "from1", "to2")).isEqualTo(new RelayObservation(null, null));
        assertThat(RelayObservation.from(null, "from1", "to2")).isEqualTo(new RelayObservation(null, null));
    }
}
