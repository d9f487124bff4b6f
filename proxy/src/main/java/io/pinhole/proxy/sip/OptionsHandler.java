package io.pinhole.proxy.sip;

import io.pinhole.proxy.directory.UserDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sip.address.SipURI;
import javax.sip.message.Request;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * OPTIONS outside a dialog. To the proxy itself (its address, or a domain it serves without a
 * user part: the keepalive and health probe phones and load balancers send) and to a user of a
 * served domain (the B2BUA answers for its subscribers, as a PBX does): 200 with what the proxy
 * supports. Anything else is refused as an INVITE the proxy cannot route would be, not answered
 * 200 on a foreign target's behalf: a Request-URI that is not SIP 416, an unknown user of a
 * served domain 404, a foreign target 403.
 */
@Component
public class OptionsHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OptionsHandler.class);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[[0-9A-Fa-f:.]+]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    private final Responder responder;
    private final SipFactories factories;
    private final UserDirectory directory;
    private final SipProperties sip;

    public OptionsHandler(Responder responder, SipFactories factories, UserDirectory directory, SipProperties sip) {
        this.responder = responder;
        this.factories = factories;
        this.directory = directory;
        this.sip = sip;
    }

    @Override
    public String method() {
        return "OPTIONS";
    }

    @Override
    public void handle(IncomingRequest in) {
        Request request = in.request();
        if (!(request.getRequestURI() instanceof SipURI target)) {
            refuse(in, 416, "Unsupported URI Scheme");
            return;
        }
        String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
        String user = target.getUser();
        boolean served = directory.servesDomain(host);
        if (isOwnAddress(host, target.getPort(), target.isSecure()) || (served && (user == null || user.isEmpty()))) {
            answer(in);
        } else if (served && directory.find(host, user).isPresent()) {
            answer(in);
        } else if (served) {
            refuse(in, 404, "Not Found");
        } else {
            refuse(in, 403, "Relaying denied: OPTIONS are answered for this proxy and its domains only");
        }
    }

    private void answer(IncomingRequest in) {
        responder.reply(in, 200, "OK", response -> {
            try {
                response.addHeader(factories.headers().createAllowHeader(SipDispatcher.ALLOW));
                response.addHeader(factories.headers().createSupportedHeader("outbound"));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void refuse(IncomingRequest in, int status, String reason) {
        LOG.info("OPTIONS {} from {}:{} refused: {} {} (Request-URI {})", in.callId(), in.flow().address(),
                in.flow().port(), status, reason, in.request().getRequestURI());
        responder.reply(in, status, reason);
    }

    /**
     * The Request-URI names this proxy: our advertised or bound address (any local address when
     * bound to all), at our port or none.
     */
    boolean isOwnAddress(String host, int port, boolean secure) {
        int ours = secure ? sip.tlsPort() : sip.port();
        if (port > 0 && port != ours) {
            return false;
        }
        if (host.equalsIgnoreCase(sip.advertisedAddress()) || host.equalsIgnoreCase(sip.bindAddress())) {
            return true;
        }
        if (!IP_LITERAL.matcher(host).matches()) {
            return false; // a name: never resolved here
        }
        try {
            InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            InetAddress bound = InetAddress.getByName(sip.bindAddress());
            if (!bound.isAnyLocalAddress()) {
                return address.equals(bound);
            }
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
