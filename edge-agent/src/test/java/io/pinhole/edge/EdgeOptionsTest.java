package io.pinhole.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinhole.edge.media.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * The options a user reads about are the options the agent takes: every one in the agent's own
     * usage is parsed (none is an "unknown option"), and is in {@code ./pinhole start edge --help} and
     * the README's option table; issue 17's list is among them.
     */
    @Test
    void everyOptionOfTheUsageIsParsedAndInTheLaunchersHelpAndTheReadme() throws IOException {
        List<String> options = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+(--[a-z-]+)").matcher(EdgeOptions.USAGE);
        while (m.find()) {
            options.add(m.group(1));
        }
        assertThat(options).contains("--upstream", "--credential", "--sip-port", "--lan-address", "--transport",
                "--http-proxy", "--token-file", "--trust");
        String launcher = Files.readString(Path.of("..", "pinhole"));
        String help = launcher.substring(launcher.indexOf("Edge agent (./pinhole start edge)"));
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Edge agent\n"));
        table = table.substring(0, table.indexOf("\n*Login.*"));
        for (String option : options) {
            try {
                EdgeOptions.parse("--upstream", "h", "--credential", "c", option, "1");
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as(option).doesNotContain("unknown option");
            }
            assertThat(help).as("./pinhole start edge --help names " + option).contains("  " + option + " ");
            assertThat(table).as("the README's Edge agent table names " + option).contains("| `" + option + " ");
        }
    }
}
