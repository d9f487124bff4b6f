package io.pinhole.proxy.support.netns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every integration test class that takes {@link NatTopology#LOCK} also runs
 * {@code @Execution(CONCURRENT)}: with the lock alone JUnit runs it in the thread of the classes
 * that need no namespaces, and that thread then waits with it until every other NAT class has
 * let go of the lock (RelayFailoverNatIT once held the rest of the suite up for six minutes so).
 */
class NatClassesRunBesideTheOthersTest {

    @Test
    void everyClassHoldingTheNatLockRunsConcurrently() throws Exception {
        List<Class<?>> natClasses = integrationTestClasses().stream()
                .filter(type -> Arrays.stream(type.getAnnotationsByType(ResourceLock.class))
                        .anyMatch(lock -> NatTopology.LOCK.equals(lock.value())))
                .toList();

        assertThat(natClasses).as("classes holding the NAT lock").hasSizeGreaterThan(5);
        assertThat(natClasses).as("NAT classes without @Execution(CONCURRENT)")
                .filteredOn(type -> type.getAnnotation(Execution.class) == null
                        || type.getAnnotation(Execution.class).value() != ExecutionMode.CONCURRENT)
                .isEmpty();
    }

    /** The *IT classes compiled beside this one. */
    private static List<Class<?>> integrationTestClasses() throws IOException, URISyntaxException {
        Path root = Path.of(NatClassesRunBesideTheOthersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(file -> root.relativize(file).toString())
                    .filter(name -> name.endsWith("IT.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .map(NatClassesRunBesideTheOthersTest::load)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NatClassesRunBesideTheOthersTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
