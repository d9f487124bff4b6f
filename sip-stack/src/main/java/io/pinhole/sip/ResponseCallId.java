package io.pinhole.sip;

/**
 * Finds the Call-ID of a SIP response in a datagram's bytes, without parsing the message: the
 * first line must be a status line, then header lines up to the blank line are looked at for
 * {@code Call-ID} or its compact form {@code i} (any case, RFC 3261 §7.3.1 and §20.8). A value
 * that is folded onto the next line, a request, or anything else not found gives -1; such a
 * message is left to the stack's parser, which knows every form.
 */
final class ResponseCallId {

    private static final byte[] STATUS_LINE = {'S', 'I', 'P', '/', '2', '.', '0', ' '};
    private static final byte[] CALL_ID = {'c', 'a', 'l', 'l', '-', 'i', 'd'};

    private ResponseCallId() {
    }

    /** Where the Call-ID value starts in {@code data[0, length)}, or -1 when this is no response with one. */
    static int valueStart(byte[] data, int length) {
        if (length < STATUS_LINE.length) {
            return -1;
        }
        for (int i = 0; i < STATUS_LINE.length; i++) {
            if (data[i] != STATUS_LINE[i]) {
                return -1;
            }
        }
        int line = nextLine(data, 0, length);
        while (line >= 0 && line < length && data[line] != '\r' && data[line] != '\n') {
            int colon = nameEnd(data, line, length);
            if (colon > 0) {
                int value = skipBlanks(data, colon + 1, length);
                return value < length && !isEnd(data[value]) ? value : -1;
            }
            line = nextLine(data, line, length);
        }
        return -1;
    }

    /** Where the value that starts at {@code start} ends (exclusive): at white space, a line end or the data's end. */
    static int valueEnd(byte[] data, int start, int length) {
        int end = start;
        while (end < length && !isEnd(data[end])) {
            end++;
        }
        return end;
    }

    /** The colon's index when the line at {@code from} is a Call-ID header, else -1. */
    private static int nameEnd(byte[] data, int from, int length) {
        int i = from;
        if ((data[i] | 0x20) == 'i') {
            i++; // the compact form, "i:", or another header whose name starts with i
        } else {
            for (byte expected : CALL_ID) {
                if (i >= length || (data[i] | 0x20) != expected) {
                    return -1;
                }
                i++;
            }
        }
        i = skipBlanks(data, i, length);
        return i < length && data[i] == ':' ? i : -1;
    }

    private static int nextLine(byte[] data, int from, int length) {
        for (int i = from; i < length; i++) {
            if (data[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int skipBlanks(byte[] data, int from, int length) {
        int i = from;
        while (i < length && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isEnd(byte b) {
        return b == '\r' || b == '\n' || b == ' ' || b == '\t';
    }
}
