package io.pinhole.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What systemd would run for an installed service unit: its {@code ExecStart} command line with
 * the unit's {@code Environment=} and {@code EnvironmentFile=} settings expanded, as the unit's
 * {@code User=} in its {@code WorkingDirectory=}. The install test has no systemd to start the
 * units (CI's PID 1 is not systemd), so it reads them as systemd does, for the subset of the
 * syntax our units use (systemd.service(5) "Command lines", systemd.exec(5) "Environment"),
 * and refuses anything beyond it rather than guess.
 *
 * @param command          the command line, {@code $VAR} split into words and {@code ${VAR}} kept as one
 * @param environment      the environment the unit sets, in systemd's order (files override assignments)
 * @param user             {@code User=}
 * @param workingDirectory {@code WorkingDirectory=}
 */
record SystemdUnit(List<String> command, Map<String, String> environment, String user, String workingDirectory) {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern WHOLE_WORD_VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Reads an installed unit; its environment files are read from where the unit names them. */
    static SystemdUnit read(Path unitFile) throws IOException {
        return parse(Files.readString(unitFile), path -> {
            try {
                return Files.exists(Path.of(path)) ? Files.readString(Path.of(path)) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** How the parser reads an {@code EnvironmentFile=}: its text, or null when it does not exist. */
    interface EnvironmentFiles {
        String read(String path);
    }

    static SystemdUnit parse(String unitText, EnvironmentFiles files) {
        Map<String, String> environment = new LinkedHashMap<>();
        String execStart = null;
        String user = null;
        String workingDirectory = null;
        String section = "";
        for (String line : logicalLines(unitText)) {
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int equals = line.indexOf('=');
            if (!section.equals("[Service]") || equals < 0) {
                continue;
            }
            String key = line.substring(0, equals).trim();
            String value = line.substring(equals + 1).trim();
            switch (key) {
                case "Environment" -> {
                    for (String assignment : words(value)) {
                        put(environment, assignment);
                    }
                }
                case "EnvironmentFile" -> {
                    boolean optional = value.startsWith("-");
                    String path = optional ? value.substring(1) : value;
                    String text = files.read(path);
                    if (text == null && !optional) {
                        throw new IllegalArgumentException("EnvironmentFile " + path + " does not exist");
                    }
                    if (text != null) {
                        environment.putAll(environmentFile(text));
                    }
                }
                case "ExecStart" -> {
                    if (execStart != null) {
                        throw new IllegalArgumentException("more than one ExecStart: not a Type=simple service");
                    }
                    execStart = value;
                }
                case "User" -> user = value;
                case "WorkingDirectory" -> workingDirectory = value;
                default -> {
                    // hardening, restart policy and the like: systemd's business, not the command's
                }
            }
        }
        if (execStart == null) {
            throw new IllegalArgumentException("no ExecStart in [Service]");
        }
        if ("@-:+!".indexOf(execStart.charAt(0)) >= 0) {
            throw new IllegalArgumentException("ExecStart prefixes are not understood here: " + execStart);
        }
        return new SystemdUnit(List.copyOf(expand(words(execStart), environment)), Map.copyOf(environment), user,
                workingDirectory);
    }

    /** Lines with comments dropped and backslash continuations joined (systemd.syntax(7)). */
    static List<String> logicalLines(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (!pending.isEmpty() && (line.startsWith("#") || line.startsWith(";"))) {
                continue; // a comment inside a continued line is skipped, the line goes on
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            lines.add(pending.append(line).toString().strip());
            pending.setLength(0);
        }
        if (!pending.isEmpty()) {
            lines.add(pending.toString().strip());
        }
        return lines;
    }

    /** Whitespace-separated words; double or single quotes keep a word together and are removed. */
    static List<String> words(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < value.length()) {
                    word.append(value.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in: " + value);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** KEY=VALUE lines; # and ; start comments; a value may be quoted (systemd.exec(5)). */
    static Map<String, String> environmentFile(String text) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : logicalLines(text)) {
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not KEY=VALUE: " + line);
            }
            String value = line.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            }
            environment.put(line.substring(0, equals).strip(), value);
        }
        return environment;
    }

    private static void put(Map<String, String> environment, String assignment) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("Environment= wants KEY=VALUE, got " + assignment);
        }
        environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
    }

    /** {@code $VAR} alone as a word becomes its value's words (none when unset); {@code ${VAR}} stays one word. */
    private static List<String> expand(List<String> words, Map<String, String> environment) {
        List<String> expanded = new ArrayList<>();
        for (String word : words) {
            Matcher whole = WHOLE_WORD_VARIABLE.matcher(word);
            if (whole.matches()) {
                expanded.addAll(words(environment.getOrDefault(whole.group(1), "")));
                continue;
            }
            expanded.add(VARIABLE.matcher(word)
                    .replaceAll(m -> Matcher.quoteReplacement(environment.getOrDefault(m.group(1), ""))));
        }
        return expanded;
    }
}
