package io.pinhole.sip;

import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a server's response to a request: the RI copies the request's Via, From, To, Call-ID and
 * CSeq; this sets the status and reason phrase, tags the To of every response but a 100 that has
 * no tag yet (RFC 3261 8.2.6.2), and names the server in a Server header when it has a name.
 *
 * <p>Where the tag comes from is the service's choice: a random one for a server that keeps a
 * transaction (which resends the same response itself), one derived from the request for a
 * stateless server, which must give a retransmitted request the same tag again (RFC 3261 8.2.7).
 */
public final class ResponseBuilder {

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final Function<Request, String> toTag;
    private final List<String> serverProducts;

    /**
     * @param toTag          the To tag for a response to this request
     * @param serverProducts the Server header's products ("Pinhole"); empty for no Server header
     */
    public ResponseBuilder(MessageFactory messages, HeaderFactory headers, Function<Request, String> toTag,
                           List<String> serverProducts) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.toTag = Objects.requireNonNull(toTag, "toTag");
        this.serverProducts = List.copyOf(serverProducts);
    }

    /**
     * @param reason the reason phrase, or null for the standard one of the status
     * @throws ParseException when the reason phrase, tag or products are not valid SIP
     */
    public Response create(Request request, int status, String reason) throws ParseException {
        Response response = messages.createResponse(status, request);
        if (reason != null) {
            response.setReasonPhrase(reason);
        }
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (status > 100 && to != null && to.getTag() == null) {
            to.setTag(toTag.apply(request));
        }
        if (!serverProducts.isEmpty()) {
            response.addHeader(headers.createServerHeader(serverProducts));
        }
        return response;
    }
}
