package io.pinhole.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the programs a test runs (SIPp, baresip, tshark, rtpengine, the services' logs) write:
 * under the testing module's {@code target/it-work} (Maven runs a module's tests in its directory),
 * so a run leaves nothing behind in /tmp, the files of a failed run stay next to its reports, and
 * {@code mvn clean} removes them.
 */
public final class Scratch {

    private static final Path ROOT = Path.of("target", "it-work").toAbsolutePath();

    private Scratch() {
    }

    public static Path directory(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(ROOT), prefix);
    }

    public static Path file(String prefix, String suffix) throws IOException {
        return Files.createTempFile(Files.createDirectories(ROOT), prefix, suffix);
    }
}
