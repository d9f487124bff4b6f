package io.pinhole.proxy.flood;

import gov.nist.javax.sip.message.SIPRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sip.message.Request;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first look at every request, before the dispatcher gives it a transaction (Kamailio's
 * pike + ipban htable + scanner rule, in that order):
 * <ol>
 *   <li>a banned source's request is blocked (dropped, or answered as configured);</li>
 *   <li>a trusted source's request passes, uncounted;</li>
 *   <li>a request whose User-Agent names a known scanner is blocked and bans its source;</li>
 *   <li>a request past {@code maxRequests} within the window bans its source and is blocked.</li>
 * </ol>
 * Runs on the SIP threads: a known source costs a map read, a striped lock and a few additions;
 * nothing is allocated and nothing is logged per request (only when a ban starts or ends).
 */
public final class FloodGuard {

    private final Clock clock;
    private final BanList bans;
    private final SourceTallies tallies;
    private final ScannerAgents scanners;
    private final String rateDetail;
    private final Map<BanReason, Screening> answers = new EnumMap<>(BanReason.class);
    private final Map<BanReason, Counter> blocked = new EnumMap<>(BanReason.class);
    private final Map<String, Counter> detected = new HashMap<>();
    private final Map<String, String> scannerDetails = new HashMap<>();

    /**
     * @param bannedAnswer  what a source banned for its rate gets: {@link Screening#DROP} or {@link Screening#SERVICE_UNAVAILABLE}
     * @param scannerAnswer what a scanner gets: {@link Screening#DROP} or {@link Screening#FORBIDDEN}
     */
    FloodGuard(Clock clock, BanList bans, SourceTallies tallies, ScannerAgents scanners, int maxRequests, Duration window,
               Screening bannedAnswer, Screening scannerAnswer, MeterRegistry meters) {
        this.clock = clock;
        this.bans = bans;
        this.tallies = tallies;
        this.scanners = scanners;
        this.rateDetail = "more than " + maxRequests + " requests within " + text(window);
        answers.put(BanReason.RATE, bannedAnswer);
        answers.put(BanReason.SCANNER, scannerAnswer);
        for (BanReason reason : BanReason.values()) {
            blocked.put(reason, Counter.builder("pinhole.flood.blocked").tag("reason", reason.tag())
                    .description("Requests dropped or refused: from a banned source, past the rate, or from a scanner")
                    .register(meters));
        }
        for (String pattern : scanners.patterns()) {
            detected.put(pattern, Counter.builder("pinhole.flood.scanners").tag("pattern", pattern)
                    .description("Requests whose User-Agent matched a scanner pattern").register(meters));
            scannerDetails.put(pattern, "User-Agent matches '" + pattern + "'");
        }
        Gauge.builder("pinhole.flood.sources", tallies, SourceTallies::size)
                .description("Source addresses whose request rate is being counted").register(meters);
        FunctionCounter.builder("pinhole.flood.sources.evicted", tallies, SourceTallies::evictions)
                .description("Sources forgotten because the table was full (a flood from many addresses)").register(meters);
    }

    /** What becomes of {@code request}; the caller acts on it. */
    public Screening screen(Request request) {
        InetAddress source = sourceOf((SIPRequest) request);
        if (source == null) {
            return Screening.PASS;
        }
        long now = clock.millis();
        Ban ban = bans.active(source, now);
        if (ban != null) {
            ban.blocked();
            return blocked(ban.reason);
        }
        SourceTallies.Standing standing = tallies.hit(source, now);
        if (standing == SourceTallies.Standing.TRUSTED) {
            return Screening.PASS;
        }
        String pattern = scanners.match(request);
        if (pattern != null) {
            detected.get(pattern).increment();
            bans.ban(source, BanReason.SCANNER, scannerDetails.get(pattern), now);
            return blocked(BanReason.SCANNER);
        }
        if (standing == SourceTallies.Standing.OVER) {
            if (bans.ban(source, BanReason.RATE, rateDetail, now)) {
                tallies.forget(source); // not counted while banned; it starts from nothing when the ban ends
            }
            return blocked(BanReason.RATE);
        }
        return Screening.PASS;
    }

    /** The bans in force, ending soonest first. */
    public List<BanView> bans() {
        return bans.list(clock.millis()).stream().map(Ban::view).toList();
    }

    /** Lifts the ban of {@code address}; false when it had none. Its count starts again from nothing. */
    public boolean lift(InetAddress address) {
        tallies.forget(address);
        return bans.lift(address);
    }

    /** Ends expired bans and forgets idle sources (a scheduled task, not the SIP threads). */
    public void purge() {
        long now = clock.millis();
        bans.purgeExpired(now);
        tallies.purgeIdle(now);
    }

    private Screening blocked(BanReason reason) {
        blocked.get(reason).increment();
        return answers.get(reason);
    }

    /** The packet's source (RFC 3581 received): what a NAT or a spoofer shows, not what the Via claims. */
    private static InetAddress sourceOf(SIPRequest request) {
        InetAddress source = request.getPeerPacketSourceAddress();
        return source != null ? source : request.getRemoteAddress();
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
