package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.testsupport.Eventually;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A proxy run from this build's jar as its own process, for tests that must kill it as a crash
 * would ({@link #kill()}: SIGKILL, no shutdown of its own). Its settings as command-line options.
 */
public final class ProxyProcess implements AutoCloseable {

    private static final Path JAR = BuiltJar.named("pinhole.test.proxy-jar");

    private final ChildProcess process;
    private final int sipPort;

    private ProxyProcess(int sipPort, Map<String, Object> settings) {
        this.sipPort = sipPort;
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--pinhole.sip.bind-address=127.0.0.1", "--pinhole.sip.port=" + sipPort,
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--pinhole.admin.token=" + ProxyInstance.TOKEN));
        settings.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        process = ChildProcess.java("proxy", JAR, arguments);
        Eventually.eventually(Duration.ofSeconds(60), () -> output().contains("Started ProxyApplication")
                || !process.alive(), "the proxy process started");
        if (!process.alive()) {
            throw new IllegalStateException("the proxy process ended at start:\n" + output());
        }
    }

    /** Starts a proxy on {@code sipPort} with {@code settings} (e.g. spring.datasource.url of another proxy). */
    public static ProxyProcess start(int sipPort, Map<String, Object> settings) {
        return new ProxyProcess(sipPort, settings);
    }

    public String sipTarget() {
        return "127.0.0.1:" + sipPort;
    }

    public int sipPort() {
        return sipPort;
    }

    public String output() {
        return process.output();
    }

    public boolean alive() {
        return process.alive();
    }

    /** SIGKILL: as a crash or the OOM killer would end it. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
