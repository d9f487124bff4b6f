package io.pinhole.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.pinhole.relay.media.MediaIo;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
            assertThat(p.stunPort()).isEqualTo(3478);
            assertThat(p.stunAlternatePort()).isEqualTo(3479);
            assertThat(p.stunAlternateAddress()).isEmpty();
            assertThat(p.keepaliveInterval()).isEqualTo(Duration.ofSeconds(15));
            assertThat(p.mediaWarmUp()).isEqualTo(Duration.ofSeconds(5));
            // the web ports unset (their defaults, 443 and 80, apply where they may bind); plain TCP off
            assertThat(p.tlsPort()).isEqualTo(RelayProperties.UNSET_PORT);
            assertThat(p.httpMediaPort()).isEqualTo(RelayProperties.UNSET_PORT);
            assertThat(p.tcpPort()).isZero();
        });
    }

    @Test
    void webPortsSetInTheEnvironmentAreExplicit() {
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of("PINHOLE_RELAY_TLS_PORT", "443",
                                "PINHOLE_RELAY_HTTP_MEDIA_PORT", "0"))))
                .run(ctx -> {
                    RelayProperties p = ctx.getBean(RelayProperties.class);
                    assertThat(p.tlsPort()).isEqualTo(443);
                    assertThat(p.httpMediaPort()).isZero();
                });
    }

    @Test
    void bindsEnvironmentVariables() {
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of("PINHOLE_RELAY_CONTROL_PORT", "2999",
                                "PINHOLE_RELAY_ADVERTISED_ADDRESS", "203.0.113.7", "PINHOLE_RELAY_TIMEOUT", "90s",
                                "PINHOLE_RELAY_RELATCH_ON_NEW_SSRC", "true", "PINHOLE_RELAY_STUN_PORT", "3480",
                                "PINHOLE_RELAY_STUN_ALTERNATE_ADDRESS", "127.0.0.2",
                                "PINHOLE_RELAY_KEEPALIVE_INTERVAL", "0", "PINHOLE_RELAY_MEDIA_WARM_UP", "5s"))))
                .run(ctx -> {
                    RelayProperties p = ctx.getBean(RelayProperties.class);
                    assertThat(p.controlPort()).isEqualTo(2999);
                    assertThat(p.sdpAddress()).isEqualTo("203.0.113.7");
                    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(p.relatchOnNewSsrc()).isTrue();
                    assertThat(p.stunPort()).isEqualTo(3480);
                    assertThat(p.stunAlternateAddress()).isEqualTo("127.0.0.2");
                    assertThat(p.keepaliveInterval()).isZero();
                    assertThat(p.mediaWarmUp()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void bindsTheMediaIoAsWrittenInConfiguration() {
        for (String written : new String[] {"io_uring", "io-uring", "IO_URING"}) {
            runner.withPropertyValues("pinhole.relay.media-io=" + written).run(ctx ->
                    assertThat(ctx.getBean(RelayProperties.class).mediaIo()).isEqualTo(MediaIo.IO_URING));
        }
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of("PINHOLE_RELAY_MEDIA_IO", "auto"))))
                .run(ctx -> assertThat(ctx.getBean(RelayProperties.class).mediaIo()).isEqualTo(MediaIo.AUTO));
        runner.withPropertyValues("pinhole.relay.media-io=epoll").run(ctx ->
                assertThat(ctx.getBean(RelayProperties.class).mediaIo()).isEqualTo(MediaIo.EPOLL));
        runner.withPropertyValues("pinhole.relay.media-io=kqueue").run(ctx -> assertThat(ctx).hasFailed());
        assertThat(RelayProperties.defaults().withMediaIo(MediaIo.IO_URING).withControl("127.0.0.1", 0).mediaIo())
                .as("kept through every with...").isEqualTo(MediaIo.IO_URING);
    }

    @Test
    void failsStartupNamingTheBadProperty() {
        runner.withPropertyValues("pinhole.relay.port-min=40000", "pinhole.relay.port-max=30000").run(ctx ->
                assertThat(ctx).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("pinhole.relay.port-max must be greater than port-min"));
        runner.withPropertyValues("pinhole.relay.control-port=70000").run(ctx ->
                assertThat(ctx).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("pinhole.relay.control-port must be between 0 and 65535, was 70000"));
        runner.withPropertyValues("pinhole.relay.timeout=-1s").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessage("pinhole.relay.timeout must be positive, was PT-1S"));
        runner.withPropertyValues("pinhole.relay.media-address=localhost").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageStartingWith("pinhole.relay.media-address must be"));
    }

    @Test
    void defaultsAreValid() {
        assertThatNoException().isThrownBy(RelayProperties::defaults);
        // the test relays' settings (OurRelay) and the smallest range RelayIT uses
        assertThatNoException().isThrownBy(() -> RelayProperties.defaults().withControl("127.0.0.1", 0)
                .withPorts(41000, 41999, Duration.ZERO).withMediaThreads(2).withWarmUp(0));
        assertThatNoException().isThrownBy(() -> RelayProperties.defaults().withPorts(41000, 41003, Duration.ZERO));
    }

    @Test
    void acceptsTheEdgesOfEachRange() {
        RelayProperties d = RelayProperties.defaults();
        assertThatNoException().isThrownBy(() -> d.withPorts(2, 3, Duration.ZERO));
        assertThatNoException().isThrownBy(() -> d.withPorts(65534, 65535, Duration.ZERO));
        assertThatNoException().isThrownBy(() -> d.withPorts(30000, 30001, Duration.ofDays(365)));
        assertThatNoException().isThrownBy(() -> d.withControl("::1", 65535));
        assertThatNoException().isThrownBy(() -> d.withMedia("0.0.0.0", "203.0.113.7"));
        assertThatNoException().isThrownBy(() -> d.withMedia("::", "2001:db8::7"));
        assertThatNoException().isThrownBy(() -> d.withTimeouts(Duration.ofNanos(1), Duration.ofNanos(1)));
        assertThatNoException().isThrownBy(() -> d.withSecret("~ printable ASCII !"));
        assertThatNoException().isThrownBy(() -> d.withMediaThreads(64).withWarmUp(100_000));
        assertThatNoException().isThrownBy(() -> d.withMediaWarmUp(Duration.ZERO));
        assertThatNoException().isThrownBy(() -> d.withMediaWarmUp(Duration.ofSeconds(60)));
        assertThatNoException().isThrownBy(() -> d.withStun(0, 0, ""));
        assertThatNoException().isThrownBy(() -> d.withStun(0, 3478, "")); // off: the alternate port is unused
        assertThatNoException().isThrownBy(() -> d.withStun(1, 65535, ""));
        assertThatNoException().isThrownBy(() -> d.withStun(3478, 0, ""));
        assertThatNoException().isThrownBy(() -> d.withStun(29999, 40001, "127.0.0.2"));
        assertThatNoException().isThrownBy(() -> d.withMedia("::1", "").withStun(3478, 3479, "::2"));
        assertThatNoException().isThrownBy(() -> d.withControl("127.0.0.1", 0).withStun(3478, 3479, ""));
        assertThatNoException().isThrownBy(() -> d.withKeepalive(Duration.ZERO));
        assertThatNoException().isThrownBy(() -> d.withKeepalive(Duration.ofMillis(100)));
        assertThatNoException().isThrownBy(() -> d.withKeepalive(Duration.ofHours(1)));
    }

    /** Each bad value, and the property a user would have to fix. */
    static Stream<Arguments> invalidValues() {
        return Stream.of(
                bad("pinhole.relay.control-address", p -> p.withControl("", 2223)),
                bad("pinhole.relay.control-address", p -> p.withControl(null, 2223)),
                bad("pinhole.relay.control-address", p -> p.withControl("localhost", 2223)),
                bad("pinhole.relay.control-port", p -> p.withControl("127.0.0.1", -1)),
                bad("pinhole.relay.control-port", p -> p.withControl("127.0.0.1", 65536)),
                bad("pinhole.relay.secret", p -> p.withSecret("s\u00e9cret")),
                bad("pinhole.relay.secret", p -> p.withSecret("secret\n")),
                bad("pinhole.relay.media-address", p -> p.withMedia(" ", "")),
                bad("pinhole.relay.media-address", p -> p.withMedia("relay.example.com", "")),
                bad("pinhole.relay.advertised-address", p -> p.withMedia("127.0.0.1", "relay.example.com")),
                bad("pinhole.relay.advertised-address", p -> p.withMedia("127.0.0.1", "0.0.0.0")),
                bad("pinhole.relay.advertised-address", p -> p.withMedia("0.0.0.0", "")),
                bad("pinhole.relay.advertised-address", p -> p.withMedia("::", "")),
                bad("pinhole.relay.port-min", p -> p.withPorts(0, 40000, Duration.ZERO)),
                bad("pinhole.relay.port-min", p -> p.withPorts(-2, 40000, Duration.ZERO)),
                bad("pinhole.relay.port-min", p -> p.withPorts(30001, 40000, Duration.ZERO)),
                bad("pinhole.relay.port-min", p -> p.withPorts(65536, 65537, Duration.ZERO)),
                bad("pinhole.relay.port-max", p -> p.withPorts(30000, 30000, Duration.ZERO)),
                bad("pinhole.relay.port-max", p -> p.withPorts(30000, 20000, Duration.ZERO)),
                bad("pinhole.relay.port-max", p -> p.withPorts(30000, 65536, Duration.ZERO)),
                bad("pinhole.relay.port-quiet-period", p -> p.withPorts(30000, 40000, null)),
                bad("pinhole.relay.port-quiet-period", p -> p.withPorts(30000, 40000, Duration.ofSeconds(-1))),
                bad("pinhole.relay.port-quiet-period", p -> p.withPorts(30000, 40000, Duration.ofDays(365 * 300))),
                bad("pinhole.relay.timeout", p -> p.withTimeouts(null, Duration.ofSeconds(1))),
                bad("pinhole.relay.timeout", p -> p.withTimeouts(Duration.ZERO, Duration.ofSeconds(1))),
                bad("pinhole.relay.timeout", p -> p.withTimeouts(Duration.ofSeconds(-5), Duration.ofSeconds(1))),
                bad("pinhole.relay.hold-timeout", p -> p.withTimeouts(Duration.ofSeconds(1), null)),
                bad("pinhole.relay.hold-timeout", p -> p.withTimeouts(Duration.ofSeconds(1), Duration.ZERO)),
                bad("pinhole.relay.hold-timeout", p -> p.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1))),
                bad("pinhole.relay.media-threads", p -> p.withMediaThreads(-1)),
                bad("pinhole.relay.media-threads", p -> p.withMediaThreads(65)),
                bad("pinhole.relay.max-datagram-size", p -> with(p, 575, 16, Duration.ofSeconds(30))),
                bad("pinhole.relay.max-datagram-size", p -> with(p, 65508, 16, Duration.ofSeconds(30))),
                bad("pinhole.relay.read-batch", p -> with(p, 2048, 0, Duration.ofSeconds(30))),
                bad("pinhole.relay.read-batch", p -> with(p, 2048, 257, Duration.ofSeconds(30))),
                bad("pinhole.relay.reply-cache-ttl", p -> with(p, 2048, 16, null)),
                bad("pinhole.relay.reply-cache-ttl", p -> with(p, 2048, 16, Duration.ZERO)),
                bad("pinhole.relay.warm-up-calls", p -> p.withWarmUp(-1)),
                bad("pinhole.relay.warm-up-calls", p -> p.withWarmUp(100_001)),
                bad("pinhole.relay.media-warm-up", p -> p.withMediaWarmUp(null)),
                bad("pinhole.relay.media-warm-up", p -> p.withMediaWarmUp(Duration.ofSeconds(-1))),
                bad("pinhole.relay.media-warm-up", p -> p.withMediaWarmUp(Duration.ofSeconds(61))),
                bad("pinhole.relay.keepalive-interval", p -> p.withKeepalive(null)),
                bad("pinhole.relay.keepalive-interval", p -> p.withKeepalive(Duration.ofSeconds(-15))),
                bad("pinhole.relay.keepalive-interval", p -> p.withKeepalive(Duration.ofMillis(99))),
                bad("pinhole.relay.keepalive-interval", p -> p.withKeepalive(Duration.ofNanos(1))),
                bad("pinhole.relay.keepalive-interval", p -> p.withKeepalive(Duration.ofMinutes(61))),
                bad("pinhole.relay.tcp-port", p -> p.withStreams(-1, 0)),
                bad("pinhole.relay.http-media-port", p -> p.withHttp(70000, Duration.ofMillis(100), 64)),
                bad("pinhole.relay.http-media-port", p -> p.withStreams(8080, 0).withHttp(8080, Duration.ofMillis(100), 64)),
                bad("pinhole.relay.http-hold", p -> p.withHttp(8081, Duration.ofMillis(1), 64)),
                bad("pinhole.relay.http-queue", p -> p.withHttp(8081, Duration.ofMillis(100), 0)),
                bad("pinhole.relay.tls-port", p -> p.withStreams(0, 65536)),
                bad("pinhole.relay.tls-port", p -> p.withStreams(0, -2)),
                bad("pinhole.relay.http-media-port", p -> p.withHttp(-2, Duration.ofMillis(100), 64)),
                bad("pinhole.relay.tls-port", p -> p.withStreams(4443, 4443)),
                bad("pinhole.relay.tls-certificate", p -> p.withTlsCertificate("cert.pem", "")),
                bad("pinhole.relay.tcp-hello-timeout", p -> p.withStreamLimits(Duration.ZERO, Duration.ofSeconds(30), 10, 2)),
                bad("pinhole.relay.tcp-idle-timeout", p -> p.withStreamLimits(Duration.ofSeconds(2), null, 10, 2)),
                bad("pinhole.relay.tcp-max-connections", p -> p.withStreamLimits(Duration.ofSeconds(2), Duration.ofSeconds(30), 0, 2)),
                bad("pinhole.relay.tcp-connections-per-call", p -> p.withStreamLimits(Duration.ofSeconds(2), Duration.ofSeconds(30), 10, 0)),
                bad("pinhole.relay.stun-port", p -> p.withStun(-1, 3479, "")),
                bad("pinhole.relay.stun-port", p -> p.withStun(65536, 3479, "")),
                bad("pinhole.relay.stun-port", p -> p.withStun(30000, 3479, "")),
                bad("pinhole.relay.stun-port", p -> p.withStun(40000, 3479, "")),
                bad("pinhole.relay.stun-port", p -> p.withStun(2223, 3479, "")),
                bad("pinhole.relay.stun-alternate-port", p -> p.withStun(3478, -1, "")),
                bad("pinhole.relay.stun-alternate-port", p -> p.withStun(3478, 65536, "")),
                bad("pinhole.relay.stun-alternate-port", p -> p.withStun(3478, 3478, "")),
                bad("pinhole.relay.stun-alternate-port", p -> p.withStun(3478, 35000, "")),
                bad("pinhole.relay.stun-alternate-port", p -> p.withStun(3478, 2223, "")),
                bad("pinhole.relay.stun-alternate-address", p -> p.withStun(3478, 3479, "relay2.example.com")),
                bad("pinhole.relay.stun-alternate-address", p -> p.withStun(3478, 3479, "0.0.0.0")),
                bad("pinhole.relay.stun-alternate-address", p -> p.withStun(3478, 3479, "127.0.0.1")),
                bad("pinhole.relay.stun-alternate-address", p -> p.withStun(3478, 3479, "::2")),
                bad("pinhole.relay.stun-alternate-address", p -> p.withStun(3478, 0, "127.0.0.2")),
                bad("pinhole.relay.stun-alternate-address", p -> p.withStun(0, 3479, "127.0.0.2")),
                bad("pinhole.relay.stun-alternate-address",
                        p -> p.withMedia("0.0.0.0", "203.0.113.7").withStun(3478, 3479, "127.0.0.2")),
                bad("pinhole.relay.conference-max-parties", p -> p.withConferences(1, 100, 3)),
                bad("pinhole.relay.conference-max-rooms", p -> p.withConferences(32, 0, 3)),
                bad("pinhole.relay.conference-jitter-frames", p -> p.withConferences(32, 100, 0)));
    }

    private static Arguments bad(String property, UnaryOperator<RelayProperties> change) {
        return Arguments.of(property, change);
    }

    /** The three settings without a {@code with...} method. */
    private static RelayProperties with(RelayProperties p, int maxDatagramSize, int readBatch, Duration replyCacheTtl) {
        return new RelayProperties(p.controlAddress(), p.controlPort(), p.secret(), p.mediaAddress(),
                p.advertisedAddress(), p.portMin(), p.portMax(), p.portQuietPeriod(), p.timeout(), p.holdTimeout(),
                p.strictSource(), p.relatchOnNewSsrc(), p.mediaThreads(), maxDatagramSize, readBatch, replyCacheTtl,
                p.warmUpCalls(), p.mediaWarmUp(), p.stunPort(), p.stunAlternatePort(), p.stunAlternateAddress(), p.keepaliveInterval(),
                p.tcpPort(), p.tlsPort(), p.tlsCertificate(), p.tlsPrivateKey(), p.tcpHelloTimeout(), p.tcpIdleTimeout(),
                p.tcpMaxConnections(), p.tcpConnectionsPerCall(), p.httpMediaPort(), p.httpHold(), p.httpQueue(),
                p.conferenceMaxParties(), p.conferenceMaxRooms(), p.conferenceJitterFrames(), p.mediaIo());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void refusesInvalidValuesNamingTheProperty(String property, UnaryOperator<RelayProperties> change) {
        RelayProperties valid = RelayProperties.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> change.apply(valid))
                .withMessageStartingWith(property + " ");
    }

    /** Bad values as a user writes them; binding fails naming the property. */
    static Stream<Arguments> invalidConfiguration() {
        return Stream.of(
                Arguments.of("pinhole.relay.control-address", ""),
                Arguments.of("pinhole.relay.control-address", "localhost"),
                Arguments.of("pinhole.relay.control-port", "-1"),
                Arguments.of("pinhole.relay.secret", "s\u00e9cret"),
                Arguments.of("pinhole.relay.media-address", ""),
                Arguments.of("pinhole.relay.advertised-address", "0.0.0.0"),
                Arguments.of("pinhole.relay.port-min", "0"),
                Arguments.of("pinhole.relay.port-min", "30001"),
                Arguments.of("pinhole.relay.port-max", "65536"),
                Arguments.of("pinhole.relay.port-max", "30000"),
                Arguments.of("pinhole.relay.port-quiet-period", "-1s"),
                Arguments.of("pinhole.relay.timeout", "0s"),
                Arguments.of("pinhole.relay.hold-timeout", "-1s"),
                Arguments.of("pinhole.relay.media-threads", "65"),
                Arguments.of("pinhole.relay.max-datagram-size", "100000"),
                Arguments.of("pinhole.relay.read-batch", "0"),
                Arguments.of("pinhole.relay.reply-cache-ttl", "0s"),
                Arguments.of("pinhole.relay.warm-up-calls", "-1"),
                Arguments.of("pinhole.relay.media-warm-up", "2m"),
                Arguments.of("pinhole.relay.stun-port", "35000"),
                Arguments.of("pinhole.relay.stun-alternate-port", "3478"),
                Arguments.of("pinhole.relay.stun-alternate-address", "localhost"),
                Arguments.of("pinhole.relay.keepalive-interval", "50ms"),
                Arguments.of("pinhole.relay.keepalive-interval", "-1s"),
                Arguments.of("pinhole.relay.keepalive-interval", "2h"),
                Arguments.of("pinhole.relay.tcp-port", "65536"),
                Arguments.of("pinhole.relay.tls-port", "-2"),
                Arguments.of("pinhole.relay.http-media-port", "-2"),
                Arguments.of("pinhole.relay.tls-certificate", "/etc/relay/cert.pem"),
                Arguments.of("pinhole.relay.tcp-hello-timeout", "0s"),
                Arguments.of("pinhole.relay.tcp-idle-timeout", "-1s"),
                Arguments.of("pinhole.relay.tcp-max-connections", "0"),
                Arguments.of("pinhole.relay.tcp-connections-per-call", "65"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidConfiguration")
    void failsStartupOnEachInvalidValue(String property, String value) {
        runner.withPropertyValues(property + "=" + value).run(ctx ->
                assertThat(ctx).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(property + " "));
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
        // nor does a failed start-up, nor a refused secret
        runner.withPropertyValues("pinhole.relay.secret=" + secret, "pinhole.relay.port-min=1").run(ctx -> {
            assertThat(ctx).hasFailed();
            for (Throwable t = ctx.getStartupFailure(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            }
        });
        assertThatIllegalArgumentException().isThrownBy(() -> RelayProperties.defaults().withSecret("p\u00e4ss-" + secret))
                .withMessageNotContaining(secret);
    }

    @Test
    void bindsTheEdgeValuesAndRefusesTheBadOnesFromConfiguration() {
        runner.withPropertyValues("pinhole.relay.port-min=30001").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageStartingWith("pinhole.relay.port-min must be even"));
        runner.withPropertyValues("pinhole.relay.hold-timeout=0s").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageStartingWith("pinhole.relay.hold-timeout must be positive"));
        runner.withPropertyValues("pinhole.relay.media-address=0.0.0.0").run(ctx ->
                assertThat(ctx).getFailure().rootCause().hasMessageStartingWith("pinhole.relay.advertised-address must be set"));
        runner.withPropertyValues("pinhole.relay.media-address=0.0.0.0", "pinhole.relay.advertised-address=203.0.113.7",
                "pinhole.relay.port-quiet-period=0s", "pinhole.relay.port-max=30001").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(RelayProperties.class).sdpAddress()).isEqualTo("203.0.113.7");
                });
        runner.withPropertyValues("pinhole.relay.tcp-port=8080", "pinhole.relay.tls-port=443",
                "pinhole.relay.tls-certificate=/etc/relay/cert.pem", "pinhole.relay.tls-private-key=/etc/relay/key.pem",
                "pinhole.relay.tcp-hello-timeout=1s", "pinhole.relay.tcp-idle-timeout=20s",
                "pinhole.relay.tcp-max-connections=10", "pinhole.relay.tcp-connections-per-call=2").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    RelayProperties p = ctx.getBean(RelayProperties.class);
                    assertThat(p.tcpPort()).isEqualTo(8080);
                    assertThat(p.tlsPort()).isEqualTo(443);
                    assertThat(p.tlsPrivateKey()).isEqualTo("/etc/relay/key.pem");
                    assertThat(p.tcpHelloTimeout()).hasSeconds(1);
                    assertThat(p.tcpIdleTimeout()).hasSeconds(20);
                    assertThat(p.tcpMaxConnections()).isEqualTo(10);
                    assertThat(p.tcpConnectionsPerCall()).isEqualTo(2);
                });
        RelayProperties defaults = RelayProperties.defaults();
        assertThat(defaults.tcpPort()).as("off unless configured").isZero();
        assertThat(defaults.tlsPort()).as("unset: 443 where it may bind, with a certificate (MediaPorts)")
                .isEqualTo(RelayProperties.UNSET_PORT);
    }
}
