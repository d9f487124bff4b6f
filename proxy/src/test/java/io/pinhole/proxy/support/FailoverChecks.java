package io.pinhole.proxy.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.proxy.support.MediaReport.firstFrom;
import static io.pinhole.proxy.support.MediaReport.lastFrom;
import static io.pinhole.proxy.support.MediaReport.packets;
import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay failover tests check after a call moved: its phones heard each other through the
 * new relay (and the old one before it), and the call's one CDR says it moved. One place, so the
 * failover tests agree on what "moved" means.
 */
public final class FailoverChecks {

    private FailoverChecks() {
    }

    /** A relay's media ports, for reading a {@link MediaProbePhone}'s report. */
    public record Ports(String name, int min, int max) {
    }

    /**
     * Each phone (name → its {@link MediaProbePhone} report) heard more than {@code moreThan}
     * packets through {@code relay}; {@code seen} is what a failure shows.
     */
    public static void assertHeardThrough(Map<String, JsonNode> phones, Ports relay, int moreThan, String seen) {
        for (Map.Entry<String, JsonNode> phone : phones.entrySet()) {
            int heard = packets(phone.getValue(), relay.min(), relay.max());
            System.out.println(phone.getKey() + ": " + heard + " packets via " + relay.name());
            assertThat(heard).as(phone.getKey() + " heard media via " + relay.name() + "\n" + seen).isGreaterThan(moreThan);
        }
    }

    /**
     * Each phone heard more than {@code moreThanFrom} packets through {@code from}, then more than
     * {@code moreThanTo} through {@code to}, the silence between them at most {@code gapBound}.
     */
    public static void assertMovedThrough(Map<String, JsonNode> phones, Ports from, int moreThanFrom, Ports to,
                                          int moreThanTo, Duration gapBound, String seen) {
        for (Map.Entry<String, JsonNode> phone : phones.entrySet()) {
            JsonNode media = phone.getValue();
            long gap = firstFrom(media, to.min(), to.max()) - lastFrom(media, from.min(), from.max());
            System.out.println(phone.getKey() + ": " + packets(media, from.min(), from.max()) + " packets via "
                    + from.name() + ", " + packets(media, to.min(), to.max()) + " via " + to.name() + ", media gap "
                    + gap + " ms");
            assertThat(packets(media, from.min(), from.max())).as(phone.getKey() + " heard media via " + from.name()
                    + "\n" + seen).isGreaterThan(moreThanFrom);
            assertThat(packets(media, to.min(), to.max())).as(phone.getKey() + " heard media via " + to.name()
                    + "\n" + seen).isGreaterThan(moreThanTo);
            assertThat(gap).as(phone.getKey() + "'s gap (ms)\n" + seen).isBetween(0L, gapBound.toMillis());
        }
    }

    /**
     * The test's one call has its CDR (waited for): answered, on relay {@code relayId} at its end,
     * moved once, no relay failure. Returns it for further checks.
     */
    public static Map<String, Object> assertOneFailoverCdr(JdbcTemplate jdbc, long relayId) {
        eventually(Duration.ofSeconds(5), () -> cdrs(jdbc).size() == 1, "the CDR written");
        Map<String, Object> cdr = cdrs(jdbc).get(0);
        assertThat(cdr).as(cdr.toString()).containsEntry("outcome", "answered").containsEntry("relay_id", relayId)
                .containsEntry("relay_failure", null);
        assertThat(((Number) cdr.get("relay_failovers")).intValue()).as("relay_failovers").isEqualTo(1);
        return cdr;
    }

    /** Every CDR, oldest first. */
    public static List<Map<String, Object>> cdrs(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT * FROM calls ORDER BY id");
    }
}
