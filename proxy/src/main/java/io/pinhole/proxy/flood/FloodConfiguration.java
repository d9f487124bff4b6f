package io.pinhole.proxy.flood;

import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.sip.SipProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;

/** The flood guard (the dispatcher's first look at each request) and its housekeeping. */
@Configuration(proxyBeanMethods = false)
public class FloodConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FloodConfiguration.class);

    @Bean
    FloodGuard floodGuard(FloodProperties flood, SipProperties sip, Clock clock, MeterRegistry meters) {
        TrustedSources trusted = TrustedSources.of(flood.trustedSources(), sip.bindAddress(), sip.advertisedAddress());
        ScannerAgents scanners = new ScannerAgents(flood.scannerUserAgents());
        LOG.info("flood: at most {} requests per {} from one address, then banned for {} ({}); scanners {} ({}); "
                        + "never limited: {}", flood.maxRequestsPerSource(), text(flood.window()), text(flood.banTime()),
                flood.bannedAnswer(), scanners, flood.scannerAnswer(), trusted);
        return new FloodGuard(clock, new BanList(flood.maxBans(), flood.banTime(), meters),
                new SourceTallies(flood.maxRequestsPerSource(), flood.window(), flood.maxTrackedSources(), trusted),
                scanners, flood.maxRequestsPerSource(), flood.window(), flood.bannedScreening(), flood.scannerScreening(),
                meters);
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Bean
    FloodHousekeeping floodHousekeeping(FloodGuard guard, AccountCaps caps) {
        return new FloodHousekeeping(guard, caps);
    }

    /** Ends expired bans (logging each end even when the source has gone quiet) and forgets idle counts. */
    static final class FloodHousekeeping {
        private final FloodGuard guard;
        private final AccountCaps caps;

        FloodHousekeeping(FloodGuard guard, AccountCaps caps) {
            this.guard = guard;
            this.caps = caps;
        }

        @Scheduled(fixedDelay = 1_000)
        void purgeSources() {
            guard.purge();
        }

        @Scheduled(fixedDelay = 30_000)
        void purgeAccounts() {
            caps.purge();
        }
    }
}
