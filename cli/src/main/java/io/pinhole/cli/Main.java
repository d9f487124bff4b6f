package io.pinhole.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@code java -cp pinhole-cli.jar:lib/* io.pinhole.cli.Main <command> ...}, as {@code ./pinhole} runs it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Cli cli = new Cli(System.getenv(), http, new ObjectMapper(), System.out, System.err, Main::ask);
        // The exit code is the CLI's answer to scripts: this is the one place that ends the JVM.
        System.exit(cli.run(args));
    }

    /** On a terminal: asked without echo, twice; otherwise one line of stdin (for scripts piping it in). */
    private static String ask(String question) {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("%s: ", question);
            if (first == null) {
                return null;
            }
            char[] again = console.readPassword("again: ");
            if (again == null || !new String(first).equals(new String(again))) {
                throw new CliException(CliException.USAGE, "the two passwords differ");
            }
            return new String(first);
        }
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
