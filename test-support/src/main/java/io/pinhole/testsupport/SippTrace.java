package io.pinhole.testsupport;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The messages of a SIPp {@code -trace_msg} log, each with when SIPp sent or received it. */
public final class SippTrace {

    /** One traced message: its time, whether SIPp received it, and its text from the start line on. */
    public record Message(LocalDateTime at, boolean received, String text) {
        public String startLine() {
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        }
    }

    private static final Pattern HEADER = Pattern.compile(
            "^-{10,} (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d+)\\R(\\S+ message (received|sent)[^\\n]*)\\R\\R",
            Pattern.MULTILINE);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private SippTrace() {
    }

    public static List<Message> parse(String log) {
        List<Message> messages = new ArrayList<>();
        String text = log.replace("\r", "");
        Matcher m = HEADER.matcher(text);
        List<int[]> bounds = new ArrayList<>();
        while (m.find()) {
            bounds.add(new int[]{m.start(), m.end()});
            messages.add(new Message(LocalDateTime.parse(m.group(1), TIME), "received".equals(m.group(3)), null));
        }
        List<Message> complete = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            int end = i + 1 < bounds.size() ? bounds.get(i + 1)[0] : text.length();
            complete.add(new Message(messages.get(i).at(), messages.get(i).received(),
                    text.substring(bounds.get(i)[1], end).strip()));
        }
        return complete;
    }

    /** The first message received whose start line begins with {@code startLine}. */
    public static Optional<Message> firstReceived(String log, String startLine) {
        return parse(log).stream().filter(m -> m.received() && m.startLine().startsWith(startLine)).findFirst();
    }
}
