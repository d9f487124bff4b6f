package io.pinhole.proxy.support.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code reinvites.log} of a SIPp phone running {@code /nat/call-uac-punch.xml} or
 * {@code call-uas-punch.xml}: the media address of each re-INVITE it took.
 */
public final class ReInviteLog {

    private ReInviteLog() {
    }

    /**
     * "address port" per re-INVITE, in CSeq order: each line is "cseq address port", written by a
     * command SIPp runs in the background, so two re-INVITEs close together may be logged out of order.
     */
    public static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split(" ", 2))
                .sorted(Comparator.comparingLong(fields -> Long.parseLong(fields[0])))
                .map(fields -> fields[1]).toList();
    }
}
