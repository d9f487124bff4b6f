package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/** {@code calls [--party TEXT]}: the calls in progress on the proxy, from its memory. */
final class CallsCommand {

    static final String USAGE = """
              calls [--party TEXT]  calls in progress (caller or callee containing TEXT)""";

    private CallsCommand() {
    }

    static void run(Session session, List<String> args) {
        Arguments arguments = Arguments.parse(args, Set.of("--party"), Set.of());
        arguments.atMostWords(0);
        String party = arguments.value("--party");
        JsonNode calls = session.api().get("/api/calls" + (party == null ? "" : "?party=" + AdminClient.encode(party)));
        if (session.jsonOutput()) {
            session.printJson(calls);
            return;
        }
        Table table = new Table("CALL-ID", "CALLER", "CALLEE", "STATE", "STARTED", "MEDIA", "RELAY");
        for (JsonNode call : calls) {
            table.row(Session.text(call, "callId"), Session.text(call, "caller"), Session.text(call, "callee"),
                    Session.text(call, "state"), Session.text(call, "startedAt"), Session.text(call, "mediaPath"),
                    Session.text(call.path("relay"), "name"));
        }
        table.print(session.out());
        session.out().println(calls.size() + (calls.size() == 1 ? " call" : " calls"));
    }
}
