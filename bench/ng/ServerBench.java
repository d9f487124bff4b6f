import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.ng.BencodeWriter;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time of the relay's ng server: CALLS calls, each offer + answer + delete, one command at a
 * time (the round trip of a command through the relay's control thread, client cost included and
 * the same for every relay). Prints the median of ROUNDS rounds in microseconds per command.
 * Usage: ServerBench HOST PORT [CALLS] [ROUNDS]; run by bench/ng/run.sh server.
 */
public final class ServerBench {

    public static void main(String[] args) throws Exception {
        InetSocketAddress relay = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            socket.connect(relay);
            run(socket, "warm", calls);
            double[] us = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                run(socket, "r" + r, calls);
                us[r] = (System.nanoTime() - start) / 1000.0 / (calls * 3);
            }
            Arrays.sort(us);
            System.out.printf("ng offer/answer/delete, %d calls x %d rounds: median %.1f us per command (min %.1f, max %.1f)%n",
                    calls, rounds, us[rounds / 2], us[0], us[rounds - 1]);
        }
    }

    private static long cookie;

    private static void run(DatagramSocket socket, String round, int calls) throws Exception {
        byte[] buffer = new byte[65536];
        for (int i = 0; i < calls; i++) {
            String callId = "bench-" + round + "-" + i + "@" + ProcessHandle.current().pid();
            Map<String, Object> offer = command("offer", callId, sdp("192.0.2.10", 40000 + (i % 10000) * 2));
            Map<String, Object> answer = command("answer", callId, sdp("192.0.2.20", 50000 + (i % 5000) * 2));
            answer.put("to-tag", "t" + i);
            Map<String, Object> delete = new LinkedHashMap<>();
            delete.put("command", "delete");
            delete.put("call-id", callId);
            for (Map<String, Object> command : List.of(offer, answer, delete)) {
                Map<String, Object> reply = exchange(socket, buffer, command);
                if (!"ok".equals(reply.get("result"))) {
                    throw new IllegalStateException(command.get("command") + " failed: " + reply);
                }
            }
        }
    }

    private static Map<String, Object> exchange(DatagramSocket socket, byte[] buffer, Map<String, Object> command)
            throws Exception {
        String c = "b" + (++cookie);
        byte[] prefix = (c + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] body = BencodeWriter.encode(command);
        byte[] out = Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        socket.send(new DatagramPacket(out, out.length));
        while (true) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                throw new IllegalStateException("no reply to " + command.get("command") + " " + c);
            }
            if (in.getLength() > prefix.length && Arrays.equals(buffer, 0, prefix.length, prefix, 0, prefix.length)) {
                return BencodeReader.decodeDictionary(buffer, prefix.length, in.getLength() - prefix.length);
            }
        }
    }

    private static Map<String, Object> command(String name, String callId, String sdp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", name);
        m.put("call-id", callId);
        m.put("from-tag", "f-" + callId);
        m.put("sdp", sdp);
        m.put("flags", List.of("trust-address"));
        m.put("replace", List.of("origin", "session-connection"));
        m.put("ICE", "remove");
        return m;
    }

    private static String sdp(String address, int port) {
        return "v=0\r\no=- 3900000001 3900000001 IN IP4 " + address + "\r\ns=pinhole\r\nc=IN IP4 " + address
                + "\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\na=sendrecv\r\n";
    }
}
