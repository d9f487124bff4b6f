package io.pinhole.proxy.flood;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole first look at a request, on a fake clock: bans for rate and scanners, their end, trusted sources. */
class FloodGuardTest {

    private static final String FLOODER = "192.0.2.66";
    private static final String PHONE = "192.0.2.10";
    private static final String TRUNK = "198.51.100.7";
    private static final String SCANNER_UA = "User-Agent: friendly-scanner";

    private final FakeClock clock = new FakeClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger banLog = (Logger) LoggerFactory.getLogger(BanList.class);

    @BeforeEach
    void captureLog() {
        lines.start();
        banLog.addAppender(lines);
    }

    @AfterEach
    void releaseLog() {
        banLog.detachAppender(lines);
    }

    /** 5 requests per 2 s, banned for 60 s; the trunk's block trusted. */
    private FloodGuard guard(Screening bannedAnswer, Screening scannerAnswer, int maxBans) {
        TrustedSources trusted = TrustedSources.of(List.of("198.51.100.0/24"), "127.0.0.1", "");
        return new FloodGuard(clock, new BanList(maxBans, Duration.ofSeconds(60), meters),
                new SourceTallies(5, Duration.ofSeconds(2), 1000, trusted),
                new ScannerAgents(List.of("friendly-scanner", "sipcli")), 5, Duration.ofSeconds(2),
                bannedAnswer, scannerAnswer, meters);
    }

    private FloodGuard guard() {
        return guard(Screening.DROP, Screening.DROP, 100);
    }

    private static List<Screening> send(FloodGuard guard, String source, int count) {
        List<Screening> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(guard.screen(Requests.options(source, "User-Agent: Yealink SIP-T46S")));
        }
        return out;
    }

    private double counter(String name, String tag, String value) {
        var counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> logged() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aSourcePastTheRateIsBannedForTheBanTimeThenLetThroughAgain() {
        FloodGuard guard = guard();

        assertThat(send(guard, FLOODER, 5)).containsOnly(Screening.PASS);
        assertThat(send(guard, FLOODER, 1)).containsExactly(Screening.DROP);
        clock.advance(Duration.ofSeconds(10)); // the window has long passed: the ban has not
        assertThat(send(guard, FLOODER, 3)).containsOnly(Screening.DROP);
        assertThat(send(guard, PHONE, 5)).as("another address").containsOnly(Screening.PASS);

        assertThat(guard.bans()).singleElement().satisfies(ban -> {
            assertThat(ban.address()).isEqualTo(FLOODER);
            assertThat(ban.reason()).isEqualTo("rate");
            assertThat(ban.detail()).isEqualTo("more than 5 requests within 2s");
            assertThat(ban.since()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(ban.until()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
            assertThat(ban.blocked()).as("requests while banned").isEqualTo(3);
        });
        assertThat(counter("pinhole.flood.bans", "reason", "rate")).isEqualTo(1);
        assertThat(counter("pinhole.flood.blocked", "reason", "rate")).isEqualTo(4);

        clock.advance(Duration.ofSeconds(50)); // 60 s after the ban started
        assertThat(send(guard, FLOODER, 5)).as("its count starts from nothing").containsOnly(Screening.PASS);
        assertThat(guard.bans()).isEmpty();
        assertThat(logged()).hasSize(2);
        assertThat(logged().get(0)).contains(FLOODER, "banned until 2026-01-01T00:01:00Z", "rate", "more than 5 requests");
        assertThat(logged().get(1)).contains("ban of " + FLOODER, "ended, expired", "3 requests blocked");
    }

    @Test
    void theEndOfABanIsLoggedEvenWhenTheSourceHasGoneQuiet() {
        FloodGuard guard = guard();
        send(guard, FLOODER, 6);

        clock.advance(Duration.ofSeconds(59));
        guard.purge();
        assertThat(logged()).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        guard.purge();
        guard.purge();

        assertThat(logged()).hasSize(2);
        assertThat(logged().get(1)).contains("ban of " + FLOODER, "expired");
        assertThat(guard.bans()).isEmpty();
    }

    @Test
    void bannedSourcesCanBeAnswered503InsteadOfDropped() {
        FloodGuard guard = guard(Screening.SERVICE_UNAVAILABLE, Screening.DROP, 100);

        assertThat(send(guard, FLOODER, 7)).containsExactly(Screening.PASS, Screening.PASS, Screening.PASS,
                Screening.PASS, Screening.PASS, Screening.SERVICE_UNAVAILABLE, Screening.SERVICE_UNAVAILABLE);
        assertThat(Screening.SERVICE_UNAVAILABLE.status()).isEqualTo(503);
    }

    @Test
    void aScannerGetsNothingAndItsAddressIsBanned() {
        FloodGuard guard = guard();

        assertThat(guard.screen(Requests.options(FLOODER, SCANNER_UA))).isEqualTo(Screening.DROP);
        assertThat(send(guard, FLOODER, 1)).as("then even with an ordinary User-Agent").containsExactly(Screening.DROP);
        assertThat(send(guard, PHONE, 1)).containsExactly(Screening.PASS);

        assertThat(guard.bans()).singleElement().satisfies(ban -> {
            assertThat(ban.reason()).isEqualTo("scanner");
            assertThat(ban.detail()).isEqualTo("User-Agent matches 'friendly-scanner'");
        });
        assertThat(counter("pinhole.flood.scanners", "pattern", "friendly-scanner")).isEqualTo(1);
        assertThat(counter("pinhole.flood.scanners", "pattern", "sipcli")).isZero();
        assertThat(counter("pinhole.flood.bans", "reason", "scanner")).isEqualTo(1);
        assertThat(counter("pinhole.flood.blocked", "reason", "scanner")).isEqualTo(2);
        assertThat(logged()).singleElement().asString().contains(FLOODER, "scanner", "friendly-scanner");
    }

    @Test
    void scannersCanBeAnswered403() {
        FloodGuard guard = guard(Screening.DROP, Screening.FORBIDDEN, 100);

        assertThat(guard.screen(Requests.options(FLOODER, "User-Agent: sipcli/v1.8"))).isEqualTo(Screening.FORBIDDEN);
        assertThat(send(guard, FLOODER, 1)).containsExactly(Screening.FORBIDDEN);
        assertThat(Screening.FORBIDDEN.status()).isEqualTo(403);
    }

    @Test
    void trustedSourcesAreNeverLimitedNorBanned() {
        FloodGuard guard = guard();

        assertThat(send(guard, TRUNK, 1000)).containsOnly(Screening.PASS);
        assertThat(guard.screen(Requests.options(TRUNK, SCANNER_UA))).isEqualTo(Screening.PASS);
        assertThat(send(guard, "127.0.0.1", 1000)).as("our own address").containsOnly(Screening.PASS);
        assertThat(guard.bans()).isEmpty();
        assertThat(logged()).isEmpty();
    }

    @Test
    void liftingABanLetsTheSourceStartAgainFromNothing() throws Exception {
        FloodGuard guard = guard();
        send(guard, FLOODER, 6);

        assertThat(guard.lift(InetAddress.getByName(FLOODER))).isTrue();
        assertThat(guard.lift(InetAddress.getByName(FLOODER))).as("no ban left").isFalse();
        assertThat(guard.lift(InetAddress.getByName(PHONE))).isFalse();

        assertThat(send(guard, FLOODER, 5)).containsOnly(Screening.PASS);
        assertThat(send(guard, FLOODER, 1)).containsExactly(Screening.DROP);
        assertThat(logged()).anySatisfy(line -> assertThat(line).contains("ban of " + FLOODER, "lifted by the admin API"));
    }

    @Test
    void aFullBanListStartsNoBanButStillDropsWhatIsPastTheRate() {
        FloodGuard guard = guard(Screening.DROP, Screening.DROP, 1);
        send(guard, FLOODER, 6);

        assertThat(send(guard, PHONE, 7)).containsExactly(Screening.PASS, Screening.PASS, Screening.PASS,
                Screening.PASS, Screening.PASS, Screening.DROP, Screening.DROP);
        assertThat(guard.bans()).extracting(BanView::address).containsExactly(FLOODER);
        clock.advance(Duration.ofSeconds(3));
        assertThat(send(guard, PHONE, 1)).as("not banned: once its window has passed it gets through")
                .containsExactly(Screening.PASS);
        assertThat(logged()).filteredOn(line -> line.contains("ban list is full")).hasSize(1);
    }
}
