package io.pinhole.proxy.auth;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AuthPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AuthProperties.class)
    static class Props {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Props.class);

    @Test
    void lockoutDefaults() {
        runner.run(ctx -> {
            AuthProperties p = ctx.getBean(AuthProperties.class);
            assertThat(p.maxFailures()).isEqualTo(3);
            assertThat(p.failureWindow()).isEqualTo(Duration.ofSeconds(60));
            assertThat(p.maxFailuresPerSource()).isEqualTo(100);
            assertThat(p.sourceFailureWindow()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void bindsThePerSourceSettings() {
        runner.withPropertyValues("pinhole.auth.max-failures-per-source=500", "pinhole.auth.source-failure-window=5m")
                .run(ctx -> {
                    AuthProperties p = ctx.getBean(AuthProperties.class);
                    assertThat(p.maxFailuresPerSource()).isEqualTo(500);
                    assertThat(p.sourceFailureWindow()).isEqualTo(Duration.ofMinutes(5));
                });
    }

    @Test
    void failsStartupNamingTheBadSetting() {
        runner.withPropertyValues("pinhole.auth.max-failures-per-source=0").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("maxFailuresPerSource"));
        runner.withPropertyValues("pinhole.auth.source-failure-window=0s").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("sourceFailureWindow"));
        runner.withPropertyValues("pinhole.auth.failure-window=0s").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("failureWindow"));
        runner.withPropertyValues("pinhole.auth.max-failures=5", "pinhole.auth.max-failures-per-source=4").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("max-failures-per-source must be at least"));
    }
}
