package io.pinhole.cli;

/** Asks the person at the terminal for a secret (a password left off the command line). */
@FunctionalInterface
public interface Prompt {

    /** @return the answer, or null when there is nobody to ask (no terminal, stdin closed) */
    String secret(String question);
}
