package io.pinhole.proxy.support.netns;

import io.pinhole.testsupport.Scratch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * baresip (Debian package baresip-core) as a real softphone inside a phone's namespace, headless:
 * its own config directory, an audio file as the source ({@code aufile}), received audio decoded
 * into a discarding {@code aubridge} device, commands given with {@code -e} at start or later through
 * its UDP console ({@link #command}). Its RTP ports are
 * fixed so that iptables rules in its namespace count the audio packets it sends and receives
 * (PCMA, 20 ms: 160 bytes of payload, 200-byte IP packets).
 */
public final class Baresip implements AutoCloseable {

    public static final String RTP_PORTS = "40100-40119";
    private static final int AUDIO_IP_BYTES = 20 + 8 + 12 + 160;

    private final Process process;
    private final Path dir;
    private final String namespace;

    private final int consolePort;

    private Baresip(Process process, Path dir, String namespace, int consolePort) {
        this.process = process;
        this.dir = dir;
        this.namespace = namespace;
        this.consolePort = consolePort;
    }

    private static int consolePort(int sipPort) {
        return sipPort + 10_000;
    }

    /** Runs a menu command (e.g. "/dial sip:bob@d", "/hangup") in the running baresip, through its UDP console. */
    public void command(String command) {
        Shell.runIn(namespace, "python3", "-c", "import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                + ".sendto(sys.argv[1].encode() + b'\\n', ('127.0.0.1', int(sys.argv[2])))", command,
                String.valueOf(consolePort));
    }

    /**
     * Starts baresip registered as {@code aor} ("sip:user@domain") through {@code outboundProxy}
     * ("sip:address:port"), listening on {@code address:sipPort}, sending {@code wav}. It answers
     * calls by itself when {@code autoAnswer}; {@code commands} (e.g. "/dial sip:bob@d") run at start;
     * it quits after {@code quitAfterSeconds}, hanging up first.
     */
    public static Baresip start(String namespace, String address, int sipPort, String aor, String password,
                                String outboundProxy, Path wav, boolean autoAnswer, int quitAfterSeconds,
                                String... commands) {
        return start(namespace, address, sipPort, aor, password, outboundProxy, wav, autoAnswer, quitAfterSeconds,
                List.of(), commands);
    }

    /**
     * As {@link #start(String, String, int, String, String, String, Path, boolean, int, String...)},
     * with {@code recordTo} a directory where the {@code sndfile} module writes what the phone hears
     * ({@code dump-*-dec.wav}, 16-bit 8 kHz) and what it sends ({@code dump-*-enc.wav}).
     */
    public static Baresip startRecording(String namespace, String address, int sipPort, String aor, String password,
                                         String outboundProxy, Path wav, int quitAfterSeconds, Path recordTo,
                                         String... commands) {
        return startRecording(namespace, address, sipPort, aor, password, outboundProxy, wav, false, quitAfterSeconds,
                recordTo, commands);
    }

    /** As {@link #startRecording(String, String, int, String, String, String, Path, int, Path, String...)}, answering calls by itself when {@code autoAnswer}. */
    public static Baresip startRecording(String namespace, String address, int sipPort, String aor, String password,
                                         String outboundProxy, Path wav, boolean autoAnswer, int quitAfterSeconds,
                                         Path recordTo, String... commands) {
        return start(namespace, address, sipPort, aor, password, outboundProxy, wav, autoAnswer, quitAfterSeconds,
                List.of("module sndfile.so", "snd_path " + recordTo), commands);
    }

    /**
     * As {@link #startRecording(String, String, int, String, String, String, Path, boolean, int, Path, String...)}
     * with ICE ({@code module ice.so}, {@code medianat=ice}) when {@code stunServer} ("host:port") is not null.
     */
    public static Baresip startRecordingIce(String namespace, String address, int sipPort, String aor, String password,
                                         String outboundProxy, Path wav, boolean autoAnswer, int quitAfterSeconds,
                                         Path recordTo, String stunServer, String... commands) {
        List<String> config = new ArrayList<>(List.of("module sndfile.so", "snd_path " + recordTo));
        String account = "";
        if (stunServer != null) {
            config.add("module ice.so");
            account = ";medianat=ice;stunserver=\"stun:" + stunServer + "\"";
        }
        return start(namespace, address, sipPort, aor, password, outboundProxy, wav, autoAnswer, quitAfterSeconds,
                config, account, commands);
    }

    private static Baresip start(String namespace, String address, int sipPort, String aor, String password,
                                 String outboundProxy, Path wav, boolean autoAnswer, int quitAfterSeconds,
                                 List<String> extraConfig, String... commands) {
        return start(namespace, address, sipPort, aor, password, outboundProxy, wav, autoAnswer, quitAfterSeconds,
                extraConfig, "", commands);
    }

    private static Baresip start(String namespace, String address, int sipPort, String aor, String password,
                                 String outboundProxy, Path wav, boolean autoAnswer, int quitAfterSeconds,
                                 List<String> extraConfig, String accountParameters, String... commands) {
        try {
            Path dir = Scratch.directory("baresip");
            Files.writeString(dir.resolve("config"), String.join("\n",
                    "poll_method epoll",
                    "sip_listen " + address + ":" + sipPort,
                    "audio_source aufile," + wav,
                    "audio_player aubridge,discard",
                    "audio_alert aubridge,discard",
                    "rtp_ports " + RTP_PORTS,
                    "module_path /usr/lib/baresip/modules",
                    "module g711.so",
                    "module aufile.so",
                    "module aubridge.so",
                    "module rtcpsummary.so",
                    // commands while it runs (command()): the UDP console, on loopback in its namespace
                    "module cons.so",
                    "cons_listen 127.0.0.1:" + consolePort(sipPort),
                    "module_app account.so",
                    "module_app menu.so",
                    String.join("\n", extraConfig),
                    ""));
            Files.writeString(dir.resolve("accounts"), "<" + aor + ">;auth_pass=" + password + ";outbound=\""
                    + outboundProxy + "\";regint=600;audio_codecs=PCMA" + (autoAnswer ? ";answermode=auto" : "") + accountParameters
                    + "\n");
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "baresip", "-s", "-f",
                    dir.toString(), "-t", String.valueOf(quitAfterSeconds)));
            for (String c : commands) {
                command.addAll(List.of("-e", c));
            }
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("baresip.log").toFile()).start();
            process.getOutputStream().close();
            return new Baresip(process, dir, namespace, consolePort(sipPort));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run baresip (is the baresip-core package installed?)", e);
        }
    }

    /** Adds iptables rules in the phone's namespace that count its audio packets in and out. */
    public static void countAudio(String namespace) {
        String ports = RTP_PORTS.replace('-', ':');
        Shell.runIn(namespace, "iptables", "-A", "INPUT", "-p", "udp", "--dport", ports, "-m", "length",
                "--length", String.valueOf(AUDIO_IP_BYTES), "-j", "ACCEPT");
        Shell.runIn(namespace, "iptables", "-A", "OUTPUT", "-p", "udp", "--sport", ports, "-m", "length",
                "--length", String.valueOf(AUDIO_IP_BYTES), "-j", "ACCEPT");
    }

    /** Audio packets the phone's namespace has received so far (see {@link #countAudio}). */
    public static long audioReceived(String namespace) {
        return counter(namespace, "INPUT");
    }

    /** Audio packets the phone's namespace has received and sent so far: {received, sent}. */
    public static long[] audioPackets(String namespace) {
        return new long[]{counter(namespace, "INPUT"), counter(namespace, "OUTPUT")};
    }

    private static long counter(String namespace, String chain) {
        String rules = Shell.runIn(namespace, "iptables", "-L", chain, "-n", "-v", "-x");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+ACCEPT\\s+17\\s.*length " + AUDIO_IP_BYTES).matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no audio counter in " + namespace + " " + chain + ":\n" + rules);
        }
        return Long.parseLong(m.group(1));
    }

    /** Waits until the log shows {@code text}; fails (with the log) past the limit or if baresip ends first. */
    public void awaitLog(String text, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!log().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(namespace + " baresip: no '" + text + "' "
                        + (process.isAlive() ? "within " + limit : "before it ended") + "\n" + log());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits for baresip to quit by itself (bounded); returns its log. */
    public String awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(namespace + " baresip did not quit within " + limit + "\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return log();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("baresip.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes a WAV file (8 kHz, 16-bit mono) with a {@code hz} tone lasting {@code seconds}. */
    public static Path tone(int hz, int seconds) {
        int samples = 8000 * seconds;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0)));
        }
        try {
            Path file = Scratch.file("tone-" + hz, ".wav");
            file.toFile().deleteOnExit();
            Files.write(file, wav.array());
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
