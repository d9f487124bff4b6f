package io.pinhole.proxy.call;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConferenceRecordsTest {

    @Test
    void countsAPartysTotalsBothWays() {
        assertThat(ConferenceRecords.counts(Map.of("result", "ok", "totals", Map.of("packets-in", 60L, "bytes-in", 10320L,
                "packets-out", 40L, "bytes-out", 6880L)))).containsExactly(100, 17200);
    }

    @Test
    void readsTheCallFormTooAndNothingWithoutTotals() {
        assertThat(ConferenceRecords.counts(Map.of("totals", Map.of("RTP", Map.of("packets", 5L, "bytes", 860L)))))
                .containsExactly(5, 860);
        assertThat(ConferenceRecords.counts(Map.of("result", "ok"))).isNull();
        assertThat(ConferenceRecords.counts(null)).isNull();
    }
}
