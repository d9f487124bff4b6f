package io.pinhole.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminTargetTest {

    @TempDir
    Path dir;

    @Test
    void findsTheLaunchersTokenFileAndAdminPort() throws Exception {
        Files.writeString(dir.resolve("admin-token"), "0123456789abcdef0123\n");

        AdminTarget target = AdminTarget.resolve(Map.of("PINHOLE_DATA_DIR", dir.toString(), "PINHOLE_ADMIN_PORT", "9090"),
                null, null);

        assertThat(target.base()).hasToString("http://127.0.0.1:9090");
        assertThat(target.token()).isEqualTo("0123456789abcdef0123");
        assertThat(target.tokenSource()).isEqualTo(dir.resolve("admin-token").toAbsolutePath().toString());
    }

    @Test
    void theEnvironmentsTokenAndUrlWin() {
        AdminTarget target = AdminTarget.resolve(Map.of("PINHOLE_ADMIN_TOKEN", "from-env-token-0000",
                "PINHOLE_ADMIN_URL", "http://192.0.2.5:8080/", "PINHOLE_DATA_DIR", dir.toString()), null, null);

        assertThat(target.base()).hasToString("http://192.0.2.5:8080");
        assertThat(target.tokenSource()).isEqualTo("PINHOLE_ADMIN_TOKEN");
    }

    @Test
    void noTokenFileIsExitCodeFourNamingTheFile() {
        assertThatThrownBy(() -> AdminTarget.resolve(Map.of("PINHOLE_DATA_DIR", dir.toString()), null, null))
                .isInstanceOf(CliException.class).hasMessageContaining(dir.resolve("admin-token").toString())
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.TOKEN));
    }

    @Test
    void aUrlThatIsNoHttpUrlIsAUsageError() {
        assertThatThrownBy(() -> AdminTarget.url(Map.of(), "ftp://example.com"))
                .hasMessageContaining("is not an http:// or https:// URL");
    }
}
