package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code relay add NAME HOST:PORT ...} and {@code relay list}: the media relays and their health. */
final class RelayCommands {

    static final String USAGE = """
              relay add NAME HOST:PORT [--weight N] [--media-address A] [--draining] [--disabled]
                                    add a relay's ng control address (127.0.0.1:2223 for the launcher's)
              relay list            relays with their status and this proxy's calls on each""";

    private RelayCommands() {
    }

    static void run(Session session, List<String> args) {
        if (args.isEmpty()) {
            throw CliException.usage("relay wants add or list");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "add" -> add(session, Arguments.parse(rest, Set.of("--weight", "--media-address"),
                    Set.of("--draining", "--disabled")));
            case "list" -> list(session, Arguments.parse(rest, Set.of(), Set.of()));
            default -> throw CliException.usage("unknown relay command " + args.get(0) + " (add, list)");
        }
    }

    private static void add(Session session, Arguments arguments) {
        String name = arguments.word(0, "NAME");
        String control = arguments.word(1, "HOST:PORT of the relay's ng control socket");
        arguments.atMostWords(2);
        int colon = control.lastIndexOf(':');
        int port;
        try {
            port = colon <= 0 ? -1 : Integer.parseInt(control.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0) {
            throw CliException.usage("the relay's control address is HOST:PORT, e.g. 192.0.2.40:2223; got " + control);
        }
        String host = control.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // the API takes IPv6 without brackets
        }
        ObjectNode body = session.object().put("name", name).put("controlHost", host).put("controlPort", port);
        if (arguments.integer("--weight") != null) {
            body.put("weight", arguments.integer("--weight"));
        }
        if (arguments.value("--media-address") != null) {
            body.put("mediaAddress", arguments.value("--media-address"));
        }
        if (arguments.flag("--draining")) {
            body.put("draining", true);
        }
        if (arguments.flag("--disabled")) {
            body.put("enabled", false);
        }
        JsonNode relay = session.api().post("/api/relays", body);
        if (session.jsonOutput()) {
            session.printJson(relay);
            return;
        }
        session.out().println("created relay " + Session.text(relay, "name") + " at " + Session.text(relay, "controlHost")
                + ":" + relay.path("controlPort").asInt() + " (status " + Session.text(relay, "status") + ")");
    }

    private static void list(Session session, Arguments arguments) {
        arguments.atMostWords(0);
        JsonNode relays = session.api().get("/api/relays");
        if (session.jsonOutput()) {
            session.printJson(relays);
            return;
        }
        table(relays).print(session.out());
    }

    static Table table(JsonNode relays) {
        Table table = new Table("NAME", "CONTROL", "STATUS", "MEDIA", "CALLS", "WEIGHT", "LAST ERROR");
        for (JsonNode relay : relays) {
            String name = Session.text(relay, "name") + (relay.path("id").isNull() ? " (default)" : "");
            List<String> media = new ArrayList<>();
            relay.path("mediaTransports").forEach(t -> media.add(t.asText()));
            table.row(name, Session.text(relay, "controlHost") + ":" + relay.path("controlPort").asInt(),
                    Session.text(relay, "status"), media.isEmpty() ? null : String.join(",", media), relay.path("activeCalls").asInt(),
                    relay.path("weight").asInt(), Session.text(relay, "lastError"));
        }
        return table;
    }
}
