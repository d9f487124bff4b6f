package io.pinhole.proxy.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A jar of another module that an IT runs as its own process. The proxy's pom names each one in a
 * system property and depends on its module, so the build, not a relative path in a test, says
 * where it is and that it is built first.
 */
final class BuiltJar {

    private BuiltJar() {
    }

    static Path named(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the ITs through Maven"
                    + " (mvn verify -pl proxy -am), whose failsafe configuration names the jar");
        }
        Path jar = Path.of(path).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " (" + property + ") does not exist: package that module first");
        }
        return jar;
    }
}
