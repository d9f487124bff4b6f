package io.pinhole.sip;

/**
 * Refuses, before the RI's parser sees it, a message whose start line or a header line carries
 * more ';' than any real one: the RI's URI parser takes time quadratic in the number of
 * parameters (measured on 2 shared cores: a Request-URI of 8,000 empty parameters ~170 ms,
 * 15,000 ~1.8 s, a 64 KB one tens of seconds), so one crafted datagram within the message size
 * limit held a stack thread for seconds. Found by {@code SipParserFuzzTest}. One linear pass over
 * the header section; the body is not looked at.
 */
final class ParameterFlood {

    /** Far above any real header: a Via with received, rport, branch and a dozen more has fewer than 20. */
    static final int MAX_PER_LINE = 256;

    private ParameterFlood() {
    }

    /** Why the message is refused, or null when every line is within {@value #MAX_PER_LINE} parameters. */
    static String excess(byte[] message) {
        int inLine = 0;
        int line = 0;
        boolean lineEmpty = true;
        for (byte b : message) {
            if (b == '\n') {
                if (lineEmpty) {
                    return null; // the empty line: the body follows
                }
                line++;
                inLine = 0;
                lineEmpty = true;
            } else if (b != '\r') {
                lineEmpty = false;
                if (b == ';' && ++inLine > MAX_PER_LINE) {
                    return (line == 0 ? "start line" : "header line " + line) + " has more than " + MAX_PER_LINE
                            + " parameters";
                }
            }
        }
        return null;
    }
}
