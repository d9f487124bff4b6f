package io.pinhole.cli;

/**
 * A failure the user is told about in one line, with the process's exit code. The codes are part
 * of the CLI's contract (README, "Command line"): scripts branch on them.
 */
final class CliException extends RuntimeException {

    /** The admin API refused the request (invalid input, unknown object, conflict, server error). */
    static final int REFUSED = 1;
    /** The command line itself is wrong. */
    static final int USAGE = 2;
    /** The admin API cannot be reached. */
    static final int UNREACHABLE = 3;
    /** No token, or the admin API refused it. */
    static final int TOKEN = 4;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
