package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * {@code status}: one look at the system, as the admin API sees it: health, domains and users,
 * registrations, calls now, relays. Exits 1 when the proxy reports itself not UP or a relay in
 * its pool is down, so a cron job or a health check can run it.
 */
final class StatusCommand {

    static final String USAGE = """
              status                health, domains, users, registrations, calls now, relays
                                    (exit 1 when the proxy is not UP or a relay is down)""";

    private StatusCommand() {
    }

    static int run(Session session, List<String> args) {
        Arguments.parse(args, Set.of(), Set.of()).atMostWords(0);
        String health = session.api().health();
        JsonNode domains = session.api().get("/api/domains");
        int users = 0;
        for (JsonNode domain : domains) {
            users += session.api().get("/api/domains/" + AdminClient.encode(domain.path("name").asText()) + "/users")
                    .size();
        }
        JsonNode registrations = session.api().get("/api/registrations");
        JsonNode calls = session.api().get("/api/calls");
        long answered = 0;
        for (JsonNode call : calls) {
            answered += "ANSWERED".equals(Session.text(call, "state")) ? 1 : 0;
        }
        JsonNode relays = session.api().get("/api/relays");
        long relaysDown = 0;
        for (JsonNode relay : relays) {
            relaysDown += "down".equals(Session.text(relay, "status")) ? 1 : 0;
        }
        boolean healthy = "UP".equals(health) && relaysDown == 0;

        if (session.jsonOutput()) {
            ObjectNode status = session.object().put("health", health).put("domains", domains.size())
                    .put("users", users).put("registrations", registrations.size()).put("calls", calls.size())
                    .put("answeredCalls", answered);
            status.set("relays", relays);
            session.printJson(status);
        } else {
            session.out().println("proxy:         " + health);
            session.out().println("domains:       " + domains.size() + " (" + users + " users)");
            session.out().println("registrations: " + registrations.size());
            session.out().println("calls now:     " + calls.size() + " (" + answered + " answered)");
            session.out().println("relays:");
            RelayCommands.table(relays).print(session.out());
        }
        return healthy ? 0 : CliException.REFUSED;
    }
}
