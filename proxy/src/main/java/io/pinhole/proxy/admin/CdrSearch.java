package io.pinhole.proxy.admin;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Searches the CDRs ({@code calls}), newest first: as JSON pages, or streamed as CSV (read with a
 * cursor in a read-only transaction, so a large export never sits in memory whole).
 */
@Service
class CdrSearch {

    /** At most this many rows in one CSV export. */
    static final int MAX_CSV_ROWS = 1_000_000;

    /**
     * What to look for; null fields do not filter.
     *
     * @param party     a substring of caller or callee (any case)
     * @param from      started at or after
     * @param to        started before
     * @param outcome   exact outcome
     * @param mediaPath exact media path (any case)
     * @param callId    exact Call-ID of the caller leg
     */
    public record Filter(String party, Instant from, Instant to, String outcome, String mediaPath, String callId) {

        public Filter {
            if (party != null && (party.isEmpty() || party.length() > 256)) {
                throw ApiException.badRequest("party: must be 1 to 256 characters");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw ApiException.badRequest("to: must be after from");
            }
            if (outcome != null && !outcome.matches("^[a-z][a-z-]{0,31}$")) {
                throw ApiException.badRequest("outcome: must be an outcome such as answered, busy or admin-hangup");
            }
            if (mediaPath != null && !mediaPath.matches("^[A-Za-z_]{1,32}$")) {
                throw ApiException.badRequest("mediaPath: must be a media path such as DIRECT or RELAY_UDP");
            }
            if (callId != null && (callId.isEmpty() || callId.length() > 512)) {
                throw ApiException.badRequest("callId: must be 1 to 512 characters");
            }
        }
    }

    private static final String SELECT = """
            SELECT c.id, c.call_id, c.caller, c.callee, c.started_at, c.answered_at, c.ended_at, c.outcome,
                   c.sip_status, c.media_path, c.caller_behind_nat, c.callee_behind_nat, c.relay_id,
                   r.name AS relay_name, c.packets, c.bytes
              FROM calls c LEFT JOIN relays r ON r.id = c.relay_id""";
    private static final String ORDER = " ORDER BY c.started_at DESC, c.id DESC LIMIT ? OFFSET ?";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate readOnly;

    CdrSearch(JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    public Page<CdrView> page(Filter filter, Page.Window window) {
        Where where = where(filter);
        long total = count(where);
        List<Object> params = new ArrayList<>(where.params());
        params.add(window.limit());
        params.add(window.offset());
        List<CdrView> items = jdbc.sql(SELECT + where.sql() + ORDER).params(params).query((rs, i) -> view(rs)).list();
        return new Page<>(total, window.limit(), window.offset(), items);
    }

    public long count(Filter filter) {
        return count(where(filter));
    }

    /** Writes the header and every matching row (from {@code offset}, at most {@code limit}) as CSV. */
    public void csv(Filter filter, int limit, int offset, Writer out) {
        Where where = where(filter);
        List<Object> params = new ArrayList<>(where.params());
        params.add(limit);
        params.add(offset);
        write(out, Csv.line(CdrView.COLUMNS));
        RowCallbackHandler row = rs -> write(out, Csv.line(view(rs).values()));
        readOnly.executeWithoutResult(status -> template.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(SELECT + where.sql() + ORDER);
            statement.setFetchSize(500); // PostgreSQL streams with a cursor only inside a transaction
            for (int i = 0; i < params.size(); i++) {
                statement.setObject(i + 1, params.get(i));
            }
            return statement;
        }, row));
    }

    private long count(Where where) {
        return jdbc.sql("SELECT count(*) FROM calls c" + where.sql()).params(where.params()).query(Long.class).single();
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(Filter f) {
        StringBuilder sql = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (f.party() != null) {
            String like = "%" + f.party().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            sql.append(" AND (c.caller ILIKE ? ESCAPE '\\' OR c.callee ILIKE ? ESCAPE '\\')");
            params.add(like);
            params.add(like);
        }
        if (f.from() != null) {
            sql.append(" AND c.started_at >= ?");
            params.add(f.from().atOffset(ZoneOffset.UTC));
        }
        if (f.to() != null) {
            sql.append(" AND c.started_at < ?");
            params.add(f.to().atOffset(ZoneOffset.UTC));
        }
        if (f.outcome() != null) {
            sql.append(" AND c.outcome = ?");
            params.add(f.outcome());
        }
        if (f.mediaPath() != null) {
            sql.append(" AND c.media_path = ?");
            params.add(f.mediaPath().toUpperCase(Locale.ROOT));
        }
        if (f.callId() != null) {
            sql.append(" AND c.call_id = ?");
            params.add(f.callId());
        }
        return new Where(sql.toString(), params);
    }

    private static CdrView view(ResultSet rs) throws SQLException {
        return new CdrView(rs.getLong("id"), rs.getString("call_id"), rs.getString("caller"), rs.getString("callee"),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("answered_at", OffsetDateTime.class),
                rs.getObject("ended_at", OffsetDateTime.class), rs.getString("outcome"),
                rs.getObject("sip_status", Integer.class), rs.getString("media_path"),
                rs.getObject("caller_behind_nat", Boolean.class), rs.getObject("callee_behind_nat", Boolean.class),
                rs.getObject("relay_id", Long.class), rs.getString("relay_name"), rs.getObject("packets", Long.class),
                rs.getObject("bytes", Long.class));
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException("the client stopped reading the CSV export", e);
        }
    }
}
