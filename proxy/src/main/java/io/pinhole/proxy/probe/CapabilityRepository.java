package io.pinhole.proxy.probe;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.FlowKey;
import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Probe results in the {@code registrations} row of their binding, written on a thread of their
 * own (never a SIP or probe thread). A result for a row the binding writer has not written yet is
 * tried again once a few seconds later.
 */
public final class CapabilityRepository implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CapabilityRepository.class);
    private static final String UPDATE = """
            UPDATE registrations SET sends_udp = ?, nat_mapping = ?, nat_filtering = ?, unsolicited_udp = ?,
                   capability_reason = ?, probed_at = ?
            WHERE user_id = ? AND binding_key = ? AND host(source_address) = ? AND source_port = ?""";

    private final JdbcTemplate jdbc;
    private final ThreadPoolExecutor writes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), r -> {
        Thread thread = new Thread(r, "probe-writer");
        thread.setDaemon(true);
        return thread;
    }, new ThreadPoolExecutor.DiscardPolicy());

    public CapabilityRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void save(NatProbe.Saved saved) {
        writes.execute(() -> write(saved, true));
    }

    private void write(NatProbe.Saved saved, boolean retry) {
        Binding b = saved.binding();
        Capabilities c = saved.capabilities();
        try {
            int rows = jdbc.update(UPDATE, c.sendsUdp(), c.mapping().name(), c.filtering().name(), c.unsolicitedUdp(),
                    c.reason(), c.probedAt() == null ? null : Timestamp.from(c.probedAt()), b.userId(), b.key(),
                    b.flow().address(), b.flow().port());
            if (rows == 0 && retry) {
                Thread.sleep(3000);
                write(saved, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("probe result of {} not stored: {}", b.aor(), e.getMessage());
        }
    }

    /** What earlier probes found for the live bindings, by {@link Binding#flowKey()}. */
    public Map<FlowKey, Capabilities> loadLive() {
        Map<FlowKey, Capabilities> found = new HashMap<>();
        jdbc.query("""
                SELECT r.binding_key, r.transport, host(r.source_address) AS source_host, r.source_port, r.sends_udp,
                       r.nat_mapping, r.nat_filtering, r.capability_reason, r.probed_at, u.username, d.name AS domain
                FROM registrations r JOIN users u ON u.id = r.user_id JOIN domains d ON d.id = u.domain_id
                WHERE r.expires_at > now() AND r.probed_at IS NOT NULL""", rs -> {
            String aor = rs.getString("username") + "@" + rs.getString("domain");
            Flow flow = new Flow(rs.getString("source_host"), rs.getInt("source_port"), rs.getString("transport"));
            found.put(new FlowKey(aor, rs.getString("binding_key"), flow), new Capabilities(rs.getBoolean("sends_udp"),
                    Mapping.valueOf(rs.getString("nat_mapping")), Filtering.valueOf(rs.getString("nat_filtering")),
                    rs.getString("transport"), rs.getString("capability_reason"), rs.getTimestamp("probed_at").toInstant()));
        });
        return found;
    }

    @Override
    public void close() {
        writes.shutdown();
    }
}
