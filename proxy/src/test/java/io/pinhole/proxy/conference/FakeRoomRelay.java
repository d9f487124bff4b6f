package io.pinhole.proxy.conference;

import io.pinhole.proxy.relay.ScriptedNgRelay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An ng peer that speaks the conference contract's side of the relay (join, leave, query,
 * block/unblock media, ping, list, delete) without media: what the proxy's signalling is tested
 * against on its own. Every command it receives is kept for assertions. A party joined with a PIN
 * is reported {@code refused} by its first query (as after three wrong PINs).
 */
final class FakeRoomRelay implements AutoCloseable {

    private final ScriptedNgRelay peer;
    final List<Map<String, Object>> commands = new CopyOnWriteArrayList<>();
    /** room → party keys; party key → state. Confined to the receiving thread. */
    private final Map<String, List<String>> rooms = new HashMap<>();
    private final Map<String, String> states = new HashMap<>();

    FakeRoomRelay() throws IOException {
        peer = new ScriptedNgRelay("fake-room-relay", (cookie, command) -> {
            commands.add(command);
            return answer(command);
        });
    }

    String control() {
        return peer.control();
    }

    List<Map<String, Object>> named(String command) {
        return commands.stream().filter(c -> command.equals(c.get("command"))).toList();
    }

    private Map<String, Object> answer(Map<String, Object> command) {
        String key = command.get("call-id") + "/" + command.get("from-tag");
        Map<String, Object> reply = new LinkedHashMap<>();
        switch (String.valueOf(command.get("command"))) {
            case "ping" -> reply.put("result", "pong");
            case "join" -> {
                String room = String.valueOf(command.get("room"));
                List<String> parties = rooms.computeIfAbsent(room, r -> new ArrayList<>());
                if (!parties.contains(key)) {
                    long max = command.get("max-parties") instanceof Number n ? n.longValue() : 32;
                    if (parties.size() >= max) {
                        return error("room full");
                    }
                    parties.add(key);
                    states.put(key, command.containsKey("pin") ? "lobby" : "joined");
                }
                String sdp = String.valueOf(command.get("sdp"));
                String direction = sdp.contains("a=sendonly") ? "recvonly" : "sendrecv";
                reply.put("result", "ok");
                reply.put("sdp", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                        + "a=" + direction + "\r\na=ptime:20\r\n");
                reply.put("state", states.get(key));
            }
            case "query" -> {
                if (!states.containsKey(key)) {
                    return error("unknown call");
                }
                if ("lobby".equals(states.get(key))) {
                    states.put(key, "refused");
                }
                reply.put("result", "ok");
                reply.put("party", Map.of("state", states.get(key)));
            }
            case "leave" -> {
                if (states.remove(key) == null) {
                    return error("unknown call");
                }
                rooms.values().forEach(p -> p.remove(key));
                reply.put("result", "ok");
                reply.put("totals", Map.of("packets-in", 60, "bytes-in", 10320, "packets-out", 40, "bytes-out", 6880));
            }
            case "block media", "unblock media" -> reply.put("result", states.containsKey(key) ? "ok" : "error");
            case "list" -> {
                reply.put("result", "ok");
                reply.put("calls", List.of());
            }
            default -> reply.put("result", "ok");
        }
        return reply;
    }

    private static Map<String, Object> error(String reason) {
        return Map.of("result", "error", "error-reason", reason);
    }

    @Override
    public void close() {
        peer.close();
    }
}
