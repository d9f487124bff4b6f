package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/** {@code user add USER@DOMAIN [--password P] [--display-name NAME]} and {@code user list [DOMAIN]}. */
final class UserCommands {

    static final String USAGE = """
              user add USER@DOMAIN [--password P] [--display-name NAME]
                                    create a user (the domain too when it is new); without
                                    --password it is asked for (or read from stdin)
              user list [DOMAIN]    users of one domain, or of all""";

    private UserCommands() {
    }

    static void run(Session session, List<String> args) {
        if (args.isEmpty()) {
            throw CliException.usage("user wants add or list");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "add" -> add(session, Arguments.parse(rest, Set.of("--password", "--display-name"), Set.of()));
            case "list" -> list(session, Arguments.parse(rest, Set.of(), Set.of()));
            default -> throw CliException.usage("unknown user command " + args.get(0) + " (add, list)");
        }
    }

    private static void add(Session session, Arguments arguments) {
        String address = arguments.word(0, "USER@DOMAIN");
        arguments.atMostWords(1);
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw CliException.usage("the user is written USER@DOMAIN, e.g. alice@example.com; got " + address);
        }
        String username = address.substring(0, at);
        String domain = address.substring(at + 1);
        String password = arguments.value("--password");
        if (password == null) {
            password = session.prompt().secret("password for " + address);
            if (password == null || password.isEmpty()) {
                throw CliException.usage("no password: give --password, or type it when asked");
            }
        }

        String domainPath = "/api/domains/" + AdminClient.encode(domain);
        boolean domainCreated = false;
        if (session.api().find(domainPath).isEmpty()) {
            session.api().post("/api/domains", session.object().put("name", domain));
            domainCreated = true;
        }
        ObjectNode body = session.object().put("username", username).put("password", password);
        if (arguments.value("--display-name") != null) {
            body.put("displayName", arguments.value("--display-name"));
        }
        JsonNode user = session.api().post(domainPath + "/users", body);
        if (session.jsonOutput()) {
            session.printJson(user);
            return;
        }
        if (domainCreated) {
            session.out().println("created domain " + domain);
        }
        session.out().println("created user " + username + "@" + domain
                + " (register as sip:" + username + "@" + domain + " with that password)");
    }

    private static void list(Session session, Arguments arguments) {
        arguments.atMostWords(1);
        ArrayNode users = session.json().createArrayNode();
        if (arguments.words().isEmpty()) {
            for (JsonNode domain : session.api().get("/api/domains")) {
                session.api().get("/api/domains/" + AdminClient.encode(domain.path("name").asText()) + "/users")
                        .forEach(users::add);
            }
        } else {
            session.api().get("/api/domains/" + AdminClient.encode(arguments.words().get(0)) + "/users")
                    .forEach(users::add);
        }
        if (session.jsonOutput()) {
            session.printJson(users);
            return;
        }
        Table table = new Table("USER", "ENABLED", "DISPLAY NAME", "CREATED");
        for (JsonNode user : users) {
            table.row(Session.text(user, "username") + "@" + Session.text(user, "domain"),
                    user.path("enabled").asBoolean() ? "yes" : "no", Session.text(user, "displayName"),
                    Session.text(user, "createdAt"));
        }
        table.print(session.out());
    }
}
