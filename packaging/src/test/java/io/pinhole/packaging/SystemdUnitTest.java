package io.pinhole.packaging;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The install test starts the units as systemd would: its reading of them must be right. */
class SystemdUnitTest {

    private static final String UNIT = """
            [Unit]
            Description=x
            # a comment
            [Service]
            User=pinhole
            WorkingDirectory=/var/lib/pinhole
            Environment="OPTS=-Xmx2g -XX:+UseG1GC" TOKEN=/var/lib/pinhole/t
            EnvironmentFile=-/etc/pinhole/missing.env
            EnvironmentFile=-/etc/pinhole/proxy.env
            ExecStart=/usr/bin/java $OPTS -jar /usr/share/pinhole/p.jar \\
                --spring.config.import=optional:configtree:${DIR}/secrets/ $UNSET
            """;

    @Test
    void expandsUnbracedVariablesIntoWordsAndBracedOnesInPlace() {
        SystemdUnit unit = SystemdUnit.parse(UNIT, path -> path.equals("/etc/pinhole/proxy.env")
                ? "# settings\nDIR=/etc/pinhole\n\nPORT=\"5060\"\n" : null);

        assertThat(unit.command()).containsExactly("/usr/bin/java", "-Xmx2g", "-XX:+UseG1GC", "-jar",
                "/usr/share/pinhole/p.jar", "--spring.config.import=optional:configtree:/etc/pinhole/secrets/");
        assertThat(unit.environment()).containsEntry("TOKEN", "/var/lib/pinhole/t").containsEntry("PORT", "5060");
        assertThat(unit.user()).isEqualTo("pinhole");
        assertThat(unit.workingDirectory()).isEqualTo("/var/lib/pinhole");
    }

    @Test
    void anEnvironmentFileOverridesTheUnitsAssignment() {
        SystemdUnit unit = SystemdUnit.parse(UNIT, path -> path.endsWith("proxy.env") ? "OPTS=-Xmx256m -da" : null);

        assertThat(unit.command().subList(0, 3)).containsExactly("/usr/bin/java", "-Xmx256m", "-da");
    }

    @Test
    void aMissingRequiredEnvironmentFileOrAPrefixedCommandIsRefused() {
        assertThatThrownBy(() -> SystemdUnit.parse("[Service]\nEnvironmentFile=/etc/x.env\nExecStart=/bin/true\n",
                path -> null)).hasMessageContaining("/etc/x.env does not exist");
        assertThatThrownBy(() -> SystemdUnit.parse("[Service]\nExecStart=-/bin/true\n", path -> null))
                .hasMessageContaining("prefixes");
        assertThatThrownBy(() -> SystemdUnit.parse("[Unit]\nExecStart=/bin/true\n", path -> null))
                .hasMessageContaining("no ExecStart");
    }

    @Test
    void quotedWordsKeepTheirSpaces() {
        assertThat(SystemdUnit.words("a \"b c\" 'd e'f")).isEqualTo(List.of("a", "b c", "d ef"));
        assertThat(SystemdUnit.environmentFile("A=1\n; comment\nB='x y'\n")).isEqualTo(Map.of("A", "1", "B", "x y"));
    }
}
