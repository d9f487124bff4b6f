package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code route add ...} and {@code route list}: the {@code routes} table through the admin API. */
final class RouteCommands {

    static final String USAGE = """
              route add --target URI (--domain D [--user U] | --prefix P [--domain D])
                        [--kind proxy|trunk] [--priority Q] [--weight N] [--expires S]
                        [--transport udp|tcp|tls] [--permanent] [--disabled]
                        [--intl-prefix D] [--national-prefix D] [--country-code CC]
                        [--number-format as-received|e164|e164-digits|national] [--plus-optional]
                        [--auth-user U --auth-realm R [--auth-password P]]   (trunks; password asked for)
              route list [--domain D] [--prefix P]""";

    /** Options copied as text into the request, by their JSON field. */
    private static final Map<String, String> TEXT = Map.of(
            "--target", "targetUri", "--domain", "matchDomain", "--user", "matchUser", "--prefix", "matchPrefix",
            "--kind", "kind", "--transport", "transport", "--intl-prefix", "intlPrefix",
            "--national-prefix", "nationalPrefix", "--country-code", "countryCode", "--number-format", "numberFormat");

    private RouteCommands() {
    }

    static void run(Session session, List<String> args) {
        if (args.isEmpty()) {
            throw CliException.usage("route wants add or list");
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "add" -> {
                Set<String> withValue = new java.util.HashSet<>(TEXT.keySet());
                withValue.addAll(Set.of("--priority", "--weight", "--expires", "--auth-user", "--auth-realm",
                        "--auth-password"));
                add(session, Arguments.parse(rest, withValue, Set.of("--permanent", "--disabled", "--plus-optional")));
            }
            case "list" -> list(session, Arguments.parse(rest, Set.of("--domain", "--prefix"), Set.of()));
            default -> throw CliException.usage("unknown route command " + args.get(0) + " (add, list)");
        }
    }

    private static void add(Session session, Arguments arguments) {
        arguments.atMostWords(0);
        if (arguments.value("--target") == null) {
            throw CliException.usage("route add needs --target, the sip: or sips: URI calls are sent to");
        }
        ObjectNode body = session.object();
        TEXT.forEach((option, field) -> {
            if (arguments.value(option) != null) {
                body.put(field, arguments.value(option));
            }
        });
        if (arguments.number("--priority") != null) {
            body.put("priority", arguments.number("--priority"));
        }
        if (arguments.integer("--weight") != null) {
            body.put("weight", arguments.integer("--weight"));
        }
        if (arguments.integer("--expires") != null) {
            body.put("expiresSeconds", arguments.integer("--expires"));
        }
        if (arguments.flag("--permanent")) {
            body.put("permanent", true);
        }
        if (arguments.flag("--disabled")) {
            body.put("enabled", false);
        }
        if (arguments.flag("--plus-optional")) {
            body.put("plusOptional", true);
        }
        String authUser = arguments.value("--auth-user");
        if (authUser != null || arguments.value("--auth-realm") != null || arguments.value("--auth-password") != null) {
            if (authUser == null || arguments.value("--auth-realm") == null) {
                throw CliException.usage("trunk credentials need --auth-user and --auth-realm (the realm the carrier"
                        + " challenges with)");
            }
            String password = arguments.value("--auth-password");
            if (password == null) {
                password = session.prompt().secret("password of " + authUser + " at " + arguments.value("--auth-realm"));
                if (password == null || password.isEmpty()) {
                    throw CliException.usage("no trunk password: give --auth-password, or type it when asked");
                }
            }
            body.putObject("auth").put("username", authUser).put("realm", arguments.value("--auth-realm"))
                    .put("password", password);
        }
        JsonNode route = session.api().post("/api/routes", body);
        if (session.jsonOutput()) {
            session.printJson(route);
            return;
        }
        session.out().println("created route " + route.path("id").asText() + ": " + match(route) + " -> "
                + Session.text(route, "targetUri"));
    }

    private static void list(Session session, Arguments arguments) {
        arguments.atMostWords(0);
        StringBuilder query = new StringBuilder("?limit=1000");
        if (arguments.value("--domain") != null) {
            query.append("&domain=").append(AdminClient.encode(arguments.value("--domain")));
        }
        if (arguments.value("--prefix") != null) {
            query.append("&prefix=").append(AdminClient.encode(arguments.value("--prefix")));
        }
        JsonNode page = session.api().get("/api/routes" + query);
        if (session.jsonOutput()) {
            session.printJson(page);
            return;
        }
        Table table = new Table("ID", "MATCH", "TARGET", "KIND", "PRIORITY", "WEIGHT", "ENABLED");
        for (JsonNode route : page.path("items")) {
            table.row(route.path("id").asText(), match(route), Session.text(route, "targetUri"),
                    Session.text(route, "kind"), route.path("priority").asText(), route.path("weight").asText(),
                    route.path("enabled").asBoolean() ? "yes" : "no");
        }
        table.print(session.out());
        if (page.path("total").asLong() > page.path("items").size()) {
            session.out().println("(" + page.path("items").size() + " of " + page.path("total").asLong() + ")");
        }
    }

    private static String match(JsonNode route) {
        String user = Session.text(route, "matchUser");
        String domain = Session.text(route, "matchDomain");
        String prefix = Session.text(route, "matchPrefix");
        if (prefix != null) {
            return prefix + "*" + (domain == null ? "" : "@" + domain);
        }
        return (user == null ? "*" : user) + "@" + domain;
    }
}
