package io.pinhole.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeTokenTest {

    private static final String SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void readsTheTokenTheAdminApiAnsweredWithAndNeverShowsItsSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("edge.token");
        Files.writeString(file, "edge-office1@example.com:" + SECRET + "\n");

        EdgeToken token = EdgeToken.load(file);

        assertThat(token.aor()).isEqualTo("sip:edge-office1@example.com");
        assertThat(token.secret()).isEqualTo(SECRET);
        assertThat(token.toString()).doesNotContain(SECRET).contains("sip:edge-office1@example.com");
    }

    @Test
    void aFileWithoutATokenIsNamedWithoutItsContent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.token");
        for (String bad : new String[]{SECRET, "example.com:" + SECRET, "@example.com:" + SECRET, "a@example.com:",
                "a@:" + SECRET, "a@example.com:" + SECRET + ";x"}) {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> EdgeToken.load(file)).as(bad).hasMessageStartingWith("--token-file " + file)
                    .hasMessageNotContaining(SECRET);
        }
        assertThatThrownBy(() -> EdgeToken.load(dir.resolve("absent"))).hasMessageContaining("cannot be read");
    }
}
