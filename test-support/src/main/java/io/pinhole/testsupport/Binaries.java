package io.pinhole.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the interop tests need. In CI ({@code CI=true}) a missing program fails the
 * test, so a broken CI image can never pass by skipping; on a developer machine it skips.
 */
public final class Binaries {

    private Binaries() {
    }

    public static Path require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = name + " is not installed (Debian packages: kamailio kamailio-extra-modules "
                + "rtpengine-daemon rtpengine-utils sip-tester stun-client tinyproxy)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
