package io.pinhole.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's JVM options are chosen by bench/relay (collector, heap and young generation sizes
 * decide the GC pauses that show in its latency tail): the packaged unit, the launcher and the
 * benchmark must run the same ones, or the benchmark measures something users do not run.
 */
class RelayJvmOptionsTest {

    private static final Path REPO = Path.of("..");

    @Test
    void theUnitTheLauncherAndTheBenchmarkRunTheRelayWithTheSameOptions() throws IOException {
        SystemdUnit unit = SystemdUnit.parse(read("packaging/src/deb/systemd/pinhole-relay.service"), path -> null);
        List<String> command = unit.command();
        List<String> unitOptions = command.subList(1, command.indexOf("-jar"));

        assertThat(unitOptions).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(benchOptions()).isEqualTo(unitOptions);
        assertThat(launcherOptions()).isEqualTo(unitOptions);
        // and the commented example in relay.env, which a user copies to change one of them
        Matcher m = Pattern.compile("(?m)^#PINHOLE_JVM_OPTS=(.*)$").matcher(read("packaging/src/deb/etc/relay.env"));
        assertThat(m.find()).isTrue();
        assertThat(SystemdUnit.words(m.group(1))).isEqualTo(unitOptions);
    }

    /** {@code RELAY_JVM_OPTS="..."} in bench/relay/lib.sh. */
    private static List<String> benchOptions() throws IOException {
        Matcher m = Pattern.compile("(?m)^RELAY_JVM_OPTS=\"([^\"]*)\"").matcher(read("bench/relay/lib.sh"));
        assertThat(m.find()).as("RELAY_JVM_OPTS in bench/relay/lib.sh").isTrue();
        return SystemdUnit.words(m.group(1));
    }

    /** The launcher's default {@code RELAY_JVM_OPTS=(...)} array (the one without PINHOLE_JVM_OPTS). */
    private static List<String> launcherOptions() throws IOException {
        Matcher m = Pattern.compile("(?m)^  RELAY_JVM_OPTS=\\((-XX:[^)]*)\\)").matcher(read("pinhole"));
        assertThat(m.find()).as("the default RELAY_JVM_OPTS in ./pinhole").isTrue();
        return SystemdUnit.words(m.group(1).replace('\n', ' '));
    }

    private static String read(String path) throws IOException {
        return Files.readString(REPO.resolve(path));
    }
}
