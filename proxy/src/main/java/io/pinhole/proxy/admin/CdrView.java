package io.pinhole.proxy.admin;

import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One call detail record (a row of {@code calls}). */
public record CdrView(long id, String callId, String caller, String callee, OffsetDateTime startedAt,
                      OffsetDateTime answeredAt, OffsetDateTime endedAt,
                      @Schema(description = "answered, busy, no-answer, cancelled, rejected, failed, admin-hangup, ...")
                      String outcome,
                      Integer sipStatus,
                      @Schema(description = "DIRECT, RELAY_UDP, ...") String mediaPath,
                      Boolean callerBehindNat, Boolean calleeBehindNat, Long relayId,
                      @Schema(description = "the relay's name, if its row still exists") String relayName,
                      Long packets, Long bytes) {

    private static final RecordComponent[] COMPONENTS = CdrView.class.getRecordComponents();

    /** The CSV header: the JSON property names, in the same order. */
    static final List<String> COLUMNS = Arrays.stream(COMPONENTS).map(RecordComponent::getName).toList();

    /** The values in {@link #COLUMNS} order, times as ISO-8601 instants in UTC. */
    List<Object> values() {
        List<Object> values = new ArrayList<>(COMPONENTS.length);
        for (RecordComponent component : COMPONENTS) {
            try {
                Object value = component.getAccessor().invoke(this);
                values.add(value instanceof OffsetDateTime time ? time.toInstant().toString() : value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
        }
        return values;
    }
}
