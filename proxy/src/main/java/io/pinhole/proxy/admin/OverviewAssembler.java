package io.pinhole.proxy.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pinhole.proxy.call.CallRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts the overview together from what the proxy already counts: the live calls, the meters
 * ({@code pinhole.calls.ended}, {@code pinhole.calls.answered.duration}, {@code
 * pinhole.registrations.active}), the relay pool and the log's recent errors. The one thing it
 * keeps is the previous count of calls, for the rate of new calls between two looks.
 */
final class OverviewAssembler {

    /** Calls started by {@code at}: those ended plus those still in progress. */
    record Started(Instant at, long calls) {
    }

    /** Looks closer together than this keep the last rate: a rate over milliseconds means nothing. */
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);

    private Started previous;
    private double rate;

    synchronized Overview assemble(Instant now, List<CallRegistry.LiveCall> live, MeterRegistry meters,
                                   List<Overview.RelayLoad> relays, List<Overview.LogLine> errors) {
        long ended = Math.round(meters.find("pinhole.calls.ended").counters().stream()
                .mapToDouble(Counter::count).sum());
        Timer answeredTimer = meters.find("pinhole.calls.answered.duration").timer();
        long answeredEver = answeredTimer == null ? 0 : answeredTimer.count();
        Gauge registrations = meters.find("pinhole.registrations.active").gauge();

        Started current = new Started(now, ended + live.size());
        if (previous == null) {
            previous = current;
        } else if (Duration.between(previous.at(), now).compareTo(MIN_WINDOW) >= 0) {
            rate = rate(previous, current);
            previous = current;
        }
        Map<String, Integer> paths = new TreeMap<>();
        live.forEach(call -> paths.merge(call.mediaPath(), 1, Integer::sum));
        int answeredNow = (int) live.stream().filter(c -> "ANSWERED".equals(c.state())).count();
        return new Overview(now, live.size(), answeredNow, rate, ended, ratio(answeredEver, ended), paths, relays,
                registrations == null ? 0 : (int) registrations.value(), errors);
    }

    /** Calls per second between two counts (never negative: a count read mid-update may go back by one). */
    static double rate(Started before, Started after) {
        double seconds = Duration.between(before.at(), after.at()).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : Math.max(0, after.calls() - before.calls()) / seconds;
    }

    /** Answer-seizure ratio, or null when no call has ended yet (0 % would say every call failed). */
    static Double ratio(long answered, long ended) {
        return ended == 0 ? null : Math.min(1.0, (double) answered / ended);
    }
}
