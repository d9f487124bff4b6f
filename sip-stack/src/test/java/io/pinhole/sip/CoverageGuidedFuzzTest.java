package io.pinhole.sip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import io.pinhole.wire.net.IpLiteral;
import io.pinhole.wire.ng.BencodeException;
import io.pinhole.wire.ng.BencodeReader;
import io.pinhole.wire.sdp.SdpParser;
import io.pinhole.wire.sdp.SdpRules;
import io.pinhole.wire.sdp.SdpSyntaxException;
import io.pinhole.wire.stun.StunCodec;
import io.pinhole.wire.stun.StunException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer, libFuzzer's engine in the JVM) of every parser that reads what
 * arrives from the network: the RI's SIP parser as the stack uses it, SDP as the proxy and as the
 * relay read it, the ng protocol's bencode, STUN, and IP literals. Where {@code FuzzLoop}'s
 * tests mutate seeds blindly, this one keeps each input that reaches new branches of our code or
 * the RI's parser and mutates those further, so it gets deep into nested headers and attribute
 * lists that random mutation rarely reaches.
 *
 * <p>One fuzz target for all parsers: the first byte of an input picks the parser, so one
 * bounded run covers them all and the engine spreads its time by what yields coverage. The
 * contract is each parser's: it refuses only with its own exception, and what the SIP parser
 * accepts can be answered and encoded. Any other exception, or an input running past Jazzer's
 * per-input time limit, is a finding; Jazzer writes it next to the seeds in
 * {@code CoverageGuidedFuzzTestInputs/} for replay.
 *
 * <p>In the normal test run (regression mode) only the seeds and earlier findings are replayed.
 * The build's {@code coverage-guided-fuzzing} execution runs it with {@code JAZZER_FUZZ=1} for a
 * fixed number of inputs with a fixed seed ({@code -Pfuzz} locally; raise {@code maxExecutions} to fuzz
 * longer). Its first runs found two inputs the RI's parser turns into a NumberFormatException
 * (an {@code RAck} without a number; a Via whose {@code rport} is not a number, which parses but
 * cannot be answered): both are kept here as {@code found-*} and refused by ReadableParseErrors.
 */
class CoverageGuidedFuzzTest {

    /** The largest message the proxy can be configured to accept ({@code pinhole.sip.max-message-bytes}). */
    private static final int MAX_MESSAGE_BYTES = 65_536;
    private static final MessageParser SIP = new ReadableParseErrors().createMessageParser(null);

    @FuzzTest(maxExecutions = 200_000)
    void everyParserRefusesOnlyWithItsOwnException(byte[] input) {
        if (input.length < 1 || input.length > MAX_MESSAGE_BYTES) {
            return;
        }
        byte[] data = Arrays.copyOfRange(input, 1, input.length);
        switch (Byte.toUnsignedInt(input[0]) % 6) {
            case 0 -> sip(data);
            case 1 -> sdp(data, SdpRules.SIGNALLING);
            case 2 -> sdp(data, SdpRules.RELAY);
            case 3 -> bencode(data);
            case 4 -> stun(data);
            default -> ipLiteral(data);
        }
    }

    private static void sip(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (ReadableParseErrors.isAnswerableRequest(text)) {
            // what the stack does with an unparsable request before it throws
            ReadableParseErrors.viaPort(text);
            ReadableParseErrors.badRequest(text, "fuzz");
        }
        try {
            SIPMessage message = SIP.parseSIPMessage(data, true, false, null);
            if (message instanceof SIPRequest request) {
                request.createResponse(400, "fuzz").encode();
            } else if (message != null) {
                message.encode();
            }
        } catch (ParseException refused) {
            // the one way to refuse: the stack answers 400 or drops it
        }
    }

    private static void sdp(byte[] data, SdpRules rules) {
        try {
            SdpParser.parse(new String(data, StandardCharsets.UTF_8), rules);
        } catch (SdpSyntaxException refused) {
            // answered 488 by the proxy, an ng error by the relay
        }
    }

    private static void bencode(byte[] data) {
        try {
            BencodeReader.decode(data, 0, data.length);
        } catch (BencodeException refused) {
            // an ng error answer
        }
    }

    private static void stun(byte[] data) {
        try {
            StunCodec.decode(data, 0, data.length, true);
        } catch (StunException refused) {
            // dropped, or a 400 Bad Request answer
        }
    }

    private static void ipLiteral(byte[] data) {
        // never throws, never resolves a name: anything but a literal is null
        String text = new String(data, StandardCharsets.ISO_8859_1);
        IpLiteral.parse(text);
        IpLiteral.parseHost(text);
    }
}
