package io.pinhole.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line: global options ({@code --json}, {@code --url}, {@code --token-file}) taken
 * out first, then the command word dispatched to its class. Returns the exit code; errors are
 * one line on stderr starting {@code pinhole:}.
 */
public final class Cli {

    static final String USAGE = """
            Usage: ./pinhole <command> [options] [--json] [--url URL] [--token-file FILE]
            """ + Stream.of(UserCommands.USAGE, RouteCommands.USAGE, RelayCommands.USAGE, ConferenceCommands.USAGE,
                    CallsCommand.USAGE,
                    StatusCommand.USAGE).map(usage -> usage.indent(2)).collect(Collectors.joining()) + """

              --json             print the admin API's JSON instead of tables (for scripts)
              --url URL          the admin API (PINHOLE_ADMIN_URL; default http://127.0.0.1:<PINHOLE_ADMIN_PORT or 8080>)
              --token-file FILE  the token's file (PINHOLE_ADMIN_TOKEN wins when set; default
                                 <PINHOLE_DATA_DIR or ./data>/admin-token, as ./pinhole start writes it)
            Exit codes: 0 done, 1 the admin API refused (the reason is printed), 2 wrong command line,
            3 admin API not reachable, 4 no token or a token the API refuses.
            """;

    private final Map<String, String> env;
    private final HttpClient http;
    private final ObjectMapper json;
    private final PrintStream out;
    private final PrintStream err;
    private final Prompt prompt;

    public Cli(Map<String, String> env, HttpClient http, ObjectMapper json, PrintStream out, PrintStream err,
               Prompt prompt) {
        this.env = env;
        this.http = http;
        this.json = json;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
    }

    public int run(String... args) {
        try {
            return dispatch(new ArrayList<>(Arrays.asList(args)));
        } catch (CliException e) {
            err.println("pinhole: " + e.getMessage());
            if (e.exitCode() == CliException.USAGE) {
                err.println("pinhole: see ./pinhole help");
            }
            return e.exitCode();
        }
    }

    private int dispatch(List<String> args) {
        boolean jsonOutput = args.remove("--json");
        String url = takeValue(args, "--url");
        String tokenFile = takeValue(args, "--token-file");
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            out.print(USAGE);
            return 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (!List.of("user", "route", "relay", "conference", "calls", "status").contains(command)) {
            throw CliException.usage("unknown command " + command);
        }
        URI base = AdminTarget.url(env, url);
        AdminClient api = new AdminClient(http, json, base, () -> AdminTarget.resolve(env, url, tokenFile));
        Session session = new Session(api, json, out, jsonOutput, prompt);
        switch (command) {
            case "user" -> UserCommands.run(session, rest);
            case "route" -> RouteCommands.run(session, rest);
            case "relay" -> RelayCommands.run(session, rest);
            case "conference" -> ConferenceCommands.run(session, rest);
            case "calls" -> CallsCommand.run(session, rest);
            default -> {
                return StatusCommand.run(session, rest);
            }
        }
        return 0;
    }

    /** Removes {@code --name value} or {@code --name=value} from the list; returns the value or null. */
    private static String takeValue(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(name)) {
                if (i + 1 >= args.size()) {
                    throw CliException.usage(name + " needs a value");
                }
                args.remove(i);
                return args.remove(i);
            }
            if (arg.startsWith(name + "=")) {
                args.remove(i);
                return arg.substring(name.length() + 1);
            }
        }
        return null;
    }
}
