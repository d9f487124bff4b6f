package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/** {@code conference add|list|remove}: the conference rooms of the domains. */
final class ConferenceCommands {

    static final String USAGE = """
              conference add ROOM@DOMAIN [--pin DIGITS] [--max-parties N]
                                    create a room phones dial as sip:ROOM@DOMAIN
              conference list [DOMAIN]
                                    rooms of one domain, or of all (the PIN is never shown)
              conference remove ROOM@DOMAIN
                                    delete a room (parties in it stay until they hang up)""";

    private ConferenceCommands() {
    }

    static void run(Session session, List<String> args) {
        if (args.isEmpty()) {
            throw CliException.usage("conference wants add, list or remove");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "add" -> add(session, Arguments.parse(rest, Set.of("--pin", "--max-parties"), Set.of()));
            case "list" -> list(session, Arguments.parse(rest, Set.of(), Set.of()));
            case "remove" -> remove(session, Arguments.parse(rest, Set.of(), Set.of()));
            default -> throw CliException.usage("unknown conference command " + args.get(0) + " (add, list, remove)");
        }
    }

    private static String[] room(Arguments arguments) {
        String address = arguments.word(0, "ROOM@DOMAIN");
        arguments.atMostWords(1);
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw CliException.usage("a room is ROOM@DOMAIN, e.g. sales@example.com; got " + address);
        }
        return new String[]{address.substring(0, at), address.substring(at + 1)};
    }

    private static void add(Session session, Arguments arguments) {
        String[] room = room(arguments);
        ObjectNode body = session.object().put("name", room[0]);
        if (arguments.value("--pin") != null) {
            body.put("pin", arguments.value("--pin"));
        }
        if (arguments.integer("--max-parties") != null) {
            body.put("maxParties", arguments.integer("--max-parties"));
        }
        JsonNode created = session.api().post("/api/domains/" + AdminClient.encode(room[1]) + "/conferences", body);
        if (session.jsonOutput()) {
            session.printJson(created);
            return;
        }
        session.out().println("created room " + Session.text(created, "uri")
                + (created.path("hasPin").asBoolean() ? " (with PIN)" : ""));
    }

    private static void list(Session session, Arguments arguments) {
        arguments.atMostWords(1);
        ArrayNode rooms = session.json().createArrayNode();
        if (arguments.words().isEmpty()) {
            for (JsonNode domain : session.api().get("/api/domains")) {
                session.api().get("/api/domains/" + AdminClient.encode(domain.path("name").asText()) + "/conferences")
                        .forEach(rooms::add);
            }
        } else {
            session.api().get("/api/domains/" + AdminClient.encode(arguments.words().get(0)) + "/conferences")
                    .forEach(rooms::add);
        }
        if (session.jsonOutput()) {
            session.printJson(rooms);
            return;
        }
        Table table = new Table("ROOM", "PIN", "MAX PARTIES");
        for (JsonNode room : rooms) {
            table.row(Session.text(room, "name") + "@" + Session.text(room, "domain"),
                    room.path("hasPin").asBoolean() ? "yes" : "no",
                    room.path("maxParties").isNull() ? "relay's cap" : room.path("maxParties").asText());
        }
        table.print(session.out());
    }

    private static void remove(Session session, Arguments arguments) {
        String[] room = room(arguments);
        session.api().delete("/api/domains/" + AdminClient.encode(room[1]) + "/conferences/"
                + AdminClient.encode(room[0]));
        session.out().println("removed room " + room[0] + "@" + room[1]);
    }
}
