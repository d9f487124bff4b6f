package io.pinhole.proxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal SIP phone on one TCP connection: sends what it is given, reads whole messages. */
public final class TcpSipPhone implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    public TcpSipPhone(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(String message) throws IOException {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next whole message (headers and Content-Length body); CRLF keepalives are skipped. */
    public String read() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.UTF_8);
        Matcher length = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)").matcher(headers);
        int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
        byte[] body = in.readNBytes(size);
        return headers + new String(body, StandardCharsets.UTF_8);
    }

    /** Reads until a request with this method (or a response when method is "SIP/2.0") arrives. */
    public String readUntil(String startsWith) throws IOException {
        while (true) {
            String message = read();
            if (message.startsWith(startsWith)) {
                return message;
            }
        }
    }

    /** A response to {@code request}, copying Via, From, To (adding a tag), Call-ID and CSeq. */
    public static String respond(String request, String statusLine, String toTag, String extra, String body) {
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(statusLine).append("\r\n");
        for (String line : request.split("\r\n")) {
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase() : "";
            switch (name) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> out.append(line).append("\r\n");
                case "to", "t" -> out.append(line).append(line.contains(";tag=") || toTag == null ? "" : ";tag=" + toTag)
                        .append("\r\n");
                default -> {
                }
            }
        }
        out.append(extra);
        if (body == null) {
            out.append("Content-Length: 0\r\n\r\n");
        } else {
            out.append("Content-Type: application/sdp\r\nContent-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
