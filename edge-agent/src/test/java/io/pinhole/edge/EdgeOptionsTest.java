package io.pinhole.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinhole.edge.media.Transport;
import org.junit.jupiter.api.Test;

class EdgeOptionsTest {

    @Test
    void defaultsFollowTheUpstreamTransport() {
        EdgeOptions o = EdgeOptions.parse("--upstream", "proxy.example.com", "--credential", "edge.properties");
        assertThat(o.upstreamPort()).isEqualTo(5061);
        assertThat(o.upstreamTls()).isTrue();
        assertThat(o.relayHost()).isEqualTo("proxy.example.com");
        assertThat(o.transport()).isNull();
        assertThat(o.sipPort()).isEqualTo(5060);

        EdgeOptions tcp = EdgeOptions.parse("--upstream", "10.0.0.1", "--upstream-transport", "tcp", "--credential", "c",
                "--transport", "http", "--http-proxy", "10.0.0.9:8888");
        assertThat(tcp.upstreamPort()).isEqualTo(5060);
        assertThat(tcp.transport()).isEqualTo(Transport.HTTP);
        assertThat(tcp.httpProxy().getPort()).isEqualTo(8888);
    }

    @Test
    void badOptionsNameThemselves() {
        assertThatThrownBy(() -> EdgeOptions.parse("--credential", "c")).hasMessageContaining("--upstream HOST[:PORT] is required");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h", "--credential", "c", "--transport", "pigeon"))
                .hasMessageContaining("--transport must be auto, udp, tcp, tls or http");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h:99999", "--credential", "c"))
                .hasMessageContaining("--upstream must be a port");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h", "--credential", "c", "--http-proxy", "p"))
                .hasMessageContaining("--http-proxy must be HOST:PORT");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h", "--credential", "c", "--bogus", "1"))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream")).hasMessageContaining("--upstream needs a value");
    }

    @Test
    void logsInWithATokenFileInsteadOfACredentialButOnlyOverTls() {
        EdgeOptions token = EdgeOptions.parse("--upstream", "proxy.example.com:443", "--token-file", "edge.token");
        assertThat(token.tokenFile()).hasToString("edge.token");
        assertThat(token.credential()).isNull();

        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h")).hasMessageContaining(
                "--credential FILE or --token-file FILE is required");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h", "--credential", "c", "--token-file", "t"))
                .hasMessageContaining("--credential and --token-file exclude each other");
        assertThatThrownBy(() -> EdgeOptions.parse("--upstream", "h", "--upstream-transport", "tcp", "--token-file", "t"))
                .hasMessageContaining("--token-file needs --upstream-transport tls");
        assertThat(EdgeOptions.USAGE).contains("--token-file FILE", "HTTP CONNECT");
    }
}
