package io.pinhole.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command line split into positional words, options with a value ({@code --name value} or
 * {@code --name=value}) and flags. Each command says which options it knows; anything else is a
 * usage error that names the option.
 */
final class Arguments {

    private final List<String> words = new ArrayList<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    private Arguments() {
    }

    /**
     * @param withValue options that take a value
     * @param flags     options that take none
     */
    static Arguments parse(List<String> args, Set<String> withValue, Set<String> flags) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                parsed.words.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw CliException.usage(name + " takes no value");
                }
                parsed.values.put(name, "true");
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw CliException.usage(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                parsed.values.put(name, value);
            } else {
                throw CliException.usage("unknown option " + name);
            }
        }
        return parsed;
    }

    List<String> words() {
        return words;
    }

    /** The positional word at {@code index}, or a usage error naming what was expected. */
    String word(int index, String what) {
        if (index >= words.size()) {
            throw CliException.usage("missing " + what);
        }
        return words.get(index);
    }

    /** Fails when there are more positional words than {@code count}. */
    void atMostWords(int count) {
        if (words.size() > count) {
            throw CliException.usage("unexpected argument " + words.get(count));
        }
    }

    String value(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** An option's value as an integer, or null when absent. */
    Integer integer(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw CliException.usage(name + " wants a whole number, got " + value);
        }
    }

    /** An option's value as a number, or null when absent. */
    Double number(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException e) {
            throw CliException.usage(name + " wants a number, got " + value);
        }
    }
}
