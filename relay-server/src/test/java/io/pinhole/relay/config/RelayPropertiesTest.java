package io.pinhole.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class RelayPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RelayProperties.class)
    static class Props {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Props.class);

    @Test
    void hasDefaults() {
        runner.run(ctx -> {
            RelayProperties p = ctx.getBean(RelayProperties.class);
            assertThat(p).isEqualTo(RelayProperties.defaults());
            assertThat(p.controlAddress()).isEqualTo("127.0.0.1");
            assertThat(p.controlPort()).isEqualTo(2223);
            assertThat(p.portMin()).isEqualTo(30000);
            assertThat(p.portMax()).isEqualTo(40000);
            assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(p.sdpAddress()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void bindsEnvironmentVariables() {
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of("PINHOLE_RELAY_CONTROL_PORT", "2999",
                                "PINHOLE_RELAY_ADVERTISED_ADDRESS", "203.0.113.7", "PINHOLE_RELAY_TIMEOUT", "90s",
                                "PINHOLE_RELAY_RELATCH_ON_NEW_SSRC", "true"))))
                .run(ctx -> {
                    RelayProperties p = ctx.getBean(RelayProperties.class);
                    assertThat(p.controlPort()).isEqualTo(2999);
                    assertThat(p.sdpAddress()).isEqualTo("203.0.113.7");
                    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(p.relatchOnNewSsrc()).isTrue();
                });
    }

    @Test
    void failsStartupNamingTheBadProperty() {
        runner.withPropertyValues("pinhole.relay.port-min=40000", "pinhole.relay.port-max=30000").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("port-max"));
        runner.withPropertyValues("pinhole.relay.control-port=70000").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageContaining("controlPort"));
    }

    @Test
    void neverShowsTheSecret() {
        String secret = "hunter2-very-secret";
        RelayProperties p = RelayProperties.defaults().withSecret(secret);
        assertThat(p.toString()).doesNotContain(secret).doesNotContain("hunter2").contains("secret=****")
                .contains("portMin=30000").contains("controlPort=2223");
        assertThat(RelayProperties.defaults().toString()).contains("secret=unset");
        runner.withPropertyValues("pinhole.relay.secret=" + secret).run(ctx -> {
            RelayProperties bound = ctx.getBean(RelayProperties.class);
            assertThat(bound.secret()).isEqualTo(secret);
            assertThat(bound.toString()).doesNotContain(secret);
        });
    }
}
