package io.pinhole.proxy.support;

import io.pinhole.testsupport.Scratch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The media end of a test phone: {@code /nat/punch_phone.py} sends RTP to the address its SIPp
 * half writes into the peer file and counts what arrives from whom, then prints one JSON line
 * (packets, sources, first and last arrival times) that the tests read.
 */
public final class MediaProbePhone {

    private static Path script;
    private final Process process;
    private final Path log;

    private MediaProbePhone(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * @param namespace the network namespace to run in, or null for this one
     * @param bind      the RTP address:port it sends from and listens on
     * @param peerFile  where the SIPp half writes the media address it was given
     */
    public static MediaProbePhone start(String namespace, String bind, Path peerFile, double seconds) throws IOException {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of(python, script().toString(), "--bind", bind, "--peer-file", peerFile.toString(),
                "--duration", String.valueOf(seconds)));
        Path out = Scratch.file("media-phone", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        process.getOutputStream().close();
        return new MediaProbePhone(process, out);
    }

    /** Its report, once it has finished. */
    public JsonNode await(ObjectMapper json) throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("media phone did not finish: " + Files.readString(log));
        }
        String text = Files.readString(log).strip();
        JsonNode result = json.readTree(text.substring(text.lastIndexOf('\n') + 1));
        if (process.exitValue() != 0 || result.has("error")) {
            throw new AssertionError("media phone failed (exit " + process.exitValue() + "): " + text);
        }
        return result;
    }

    public void kill() {
        process.destroyForcibly();
    }

    private static synchronized Path script() throws IOException {
        if (script == null) {
            try (InputStream in = MediaProbePhone.class.getResourceAsStream("/nat/punch_phone.py")) {
                Path file = Scratch.file("punch_phone", ".py");
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                script = file;
            }
        }
        return script;
    }
}
