package io.pinhole.redirect.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RedirectProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void defaultsToLoopbackPort5070StatelessUdpAndTcp() {
        runner.run(context -> {
            RedirectProperties p = context.getBean(RedirectProperties.class);
            assertThat(p.sip().bindAddress()).isEqualTo("127.0.0.1");
            assertThat(p.sip().port()).isEqualTo(5070);
            assertThat(p.sip().transports()).containsExactly("udp", "tcp");
            assertThat(p.sip().responseMode()).isEqualTo(RedirectProperties.ResponseMode.STATELESS);
            assertThat(p.defaultExpires()).isEqualTo(3600);
            assertThat(p.reload().pollInterval()).isEqualTo(Duration.ofMillis(250));
        });
    }

    @Test
    void bindsRelaxedNamesAsFromTheEnvironment() {
        runner.withPropertyValues("pinhole.redirect.sip.port=15071", "pinhole.redirect.sip.transports=udp",
                        "pinhole.redirect.sip.response-mode=transaction", "pinhole.redirect.default-expires=60")
                .run(context -> {
                    RedirectProperties p = context.getBean(RedirectProperties.class);
                    assertThat(p.sip().port()).isEqualTo(15071);
                    assertThat(p.sip().transports()).isEqualTo(List.of("udp"));
                    assertThat(p.sip().responseMode()).isEqualTo(RedirectProperties.ResponseMode.TRANSACTION);
                    assertThat(p.defaultExpires()).isEqualTo(60);
                });
    }

    @Test
    void refusesToStartWithABadSettingAndNamesIt() {
        runner.withPropertyValues("pinhole.redirect.sip.port=0").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("sip.port"));
        runner.withPropertyValues("pinhole.redirect.sip.transports=udp,sctp").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("sip.transports"));
        runner.withPropertyValues("pinhole.redirect.reload.poll-interval=5s").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("reload.pollInterval"));
    }
}
