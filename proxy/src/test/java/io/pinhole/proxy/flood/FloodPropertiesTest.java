package io.pinhole.proxy.flood;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FloodPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(FloodProperties.class)
    static class Props {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Props.class);

    @Test
    void defaults() {
        runner.run(ctx -> {
            FloodProperties p = ctx.getBean(FloodProperties.class);
            assertThat(p.maxRequestsPerSource()).isEqualTo(400);
            assertThat(p.window()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.banTime()).isEqualTo(Duration.ofMinutes(5));
            assertThat(p.bannedScreening()).isEqualTo(Screening.DROP);
            assertThat(p.scannerScreening()).isEqualTo(Screening.DROP);
            assertThat(p.trustedSources()).isEmpty();
            assertThat(p.scannerUserAgents()).contains("friendly-scanner", "sipvicious", "sipcli", "VaxSIPUserAgent");
            assertThat(p.maxConcurrentCallsPerAccount()).isEqualTo(10);
            assertThat(p.maxCallsPerMinutePerAccount()).isEqualTo(30);
        });
    }

    @Test
    void bindsAnswersAndLists() {
        runner.withPropertyValues("pinhole.flood.banned-answer=503", "pinhole.flood.scanner-answer=403",
                "pinhole.flood.trusted-sources=10.0.0.0/8,192.0.2.7", "pinhole.flood.scanner-user-agents=").run(ctx -> {
            FloodProperties p = ctx.getBean(FloodProperties.class);
            assertThat(p.bannedScreening()).isEqualTo(Screening.SERVICE_UNAVAILABLE);
            assertThat(p.scannerScreening()).isEqualTo(Screening.FORBIDDEN);
            assertThat(p.trustedSources()).containsExactly("10.0.0.0/8", "192.0.2.7");
            assertThat(new ScannerAgents(p.scannerUserAgents()).patterns()).as("emptied: no scanner check").isEmpty();
        });
    }

    @Test
    void failsStartUpNamingTheBadSetting() {
        runner.withPropertyValues("pinhole.flood.banned-answer=403").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("bannedAnswer"));
        runner.withPropertyValues("pinhole.flood.window=10ms").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("window"));
        runner.withPropertyValues("pinhole.flood.max-requests-per-source=0").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("maxRequestsPerSource"));
        runner.withPropertyValues("pinhole.flood.max-concurrent-calls-per-account=0").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("maxConcurrentCallsPerAccount"));
    }
}
