package io.pinhole.edge.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pinhole.edge.sip.EdgeRouter;
import io.pinhole.edge.sip.Hop;
import io.pinhole.edge.sip.SipMessage;
import io.pinhole.edge.sip.SipUri;
import io.pinhole.edge.sip.Via;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own REGISTER over the upstream connection: its AOR, a Contact the proxy reaches
 * over this connection, and the {@code Pinhole-Edge} header that makes the connection an edge
 * flow. Logs in with a token in that header ({@link EdgeToken}) or answers a 401/407 with digest
 * ({@link Credential}); refreshes every {@value #REFRESH_SECONDS} s (sooner if the
 * proxy grants less), and registers at once after every reconnect or path change. Runs on the SIP
 * event loop.
 */
public final class Registration {

    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    static final int EXPIRES = 600;
    static final int REFRESH_SECONDS = 300;
    private static final int TIMEOUT_SECONDS = 32;

    private final Login credential;
    private final String routeId;
    private final Supplier<String> edgeHeader;
    private final UpstreamLink link;
    private final EventLoop loop;
    private final String callId = UUID.randomUUID() + "@pinhole-edge";
    private final String fromTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private int cseq;
    private String pendingBranch;
    /** The Pinhole-Edge value of the pending REGISTER, and the last one the proxy took (logged). */
    private String pendingHeader;
    private String announced;
    /** The Expires of the pending REGISTER (0: the unregister), kept when answering its challenge. */
    private int pendingExpires;
    /** Completed by the final answer to the unregister. */
    private CompletableFuture<Void> unregistered = CompletableFuture.completedFuture(null);
    private boolean answeredChallenge;
    private boolean registered;
    private ScheduledFuture<?> timer;

    /**
     * @param routeId    the short id in the agent's URIs ({@code ph-edge=})
     * @param edgeHeader the current {@code Pinhole-Edge} value
     */
    public Registration(Login credential, String routeId, Supplier<String> edgeHeader,
                        UpstreamLink link, EventLoop loop) {
        this.credential = credential;
        this.routeId = routeId;
        this.edgeHeader = edgeHeader;
        this.link = link;
        this.loop = loop;
    }

    public boolean registered() {
        return registered;
    }

    /** Sends a fresh REGISTER (after a connect, a path change, or for the refresh). */
    public void register() {
        answeredChallenge = false;
        send(null, EXPIRES);
    }

    /**
     * At shutdown: removes the agent's binding, answering the proxy's challenge if it sends one (else
     * the binding would stay until it expires, and every restart would leave one more behind).
     * Completes when the proxy answered; the caller bounds the wait.
     */
    public CompletableFuture<Void> unregister() {
        unregistered = new CompletableFuture<>();
        answeredChallenge = false;
        cancelTimer();
        if (link.isUp()) {
            send(null, 0);
        } else {
            unregistered.complete(null);
        }
        return unregistered;
    }

    public void disconnected() {
        registered = false;
        cancelTimer();
    }

    /** @param authorization a whole Authorization or Proxy-Authorization line (no CRLF), or null */
    private void send(String authorization, int expires) {
        Hop local = link.local();
        if (local == null) {
            return;
        }
        cseq++;
        pendingExpires = expires;
        pendingHeader = edgeHeader.get();
        pendingBranch = EdgeRouter.OWN_BRANCH + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String transport = link.transport().toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        sb.append("REGISTER sip:").append(credential.domain()).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/").append(link.transport()).append(' ').append(local)
                .append(";branch=").append(pendingBranch).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <").append(credential.aor()).append(">;tag=").append(fromTag).append("\r\n")
                .append("To: <").append(credential.aor()).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(" REGISTER\r\n")
                .append("Contact: <sip:").append(credential.user()).append('@').append(local)
                .append(";transport=").append(transport).append(";ph-edge=").append(routeId).append(">\r\n")
                .append("Expires: ").append(expires).append("\r\n")
                .append("Pinhole-Edge: ").append(pendingHeader).append(tokenParameter()).append("\r\n")
                .append("User-Agent: pinhole-edge\r\n");
        if (authorization != null) {
            sb.append(authorization).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        if (link.send(sb.toString().getBytes(StandardCharsets.UTF_8)) && expires > 0) {
            String branch = pendingBranch;
            cancelTimer();
            timer = loop.schedule(() -> {
                if (branch.equals(pendingBranch)) {
                    link.recycle("no answer to REGISTER within " + TIMEOUT_SECONDS + " s");
                }
            }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** A response whose top Via is one of the agent's REGISTERs. */
    public void onResponse(SipMessage response) {
        String branch = Via.parse(response.header("Via")).branch();
        if (branch == null || !branch.equals(pendingBranch)) {
            return; // an old transaction's late answer
        }
        int status = response.status();
        if (status < 200) {
            return;
        }
        pendingBranch = null;
        cancelTimer();
        if ((status == 401 || status == 407) && credential instanceof EdgeToken && pendingExpires > 0) {
            registered = false;
            log.error("The proxy did not take the agent's token as {}: {} (a proxy older than edge agent tokens?);"
                    + " trying again in 60 s", credential.aor(), response.startLine());
            later(60);
            return;
        }
        if ((status == 401 || status == 407) && !answeredChallenge && credential instanceof Credential password) {
            List<String> challenges = new ArrayList<>(response.headers(status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"));
            String auth = DigestAnswer.answer(challenges, password, "REGISTER", "sip:" + credential.domain(),
                    Long.toHexString(ThreadLocalRandom.current().nextLong()), 1);
            if (auth == null) {
                log.error("The proxy's challenge offers no digest the agent can answer: {}", challenges);
                later(60);
                return;
            }
            answeredChallenge = true;
            send((status == 401 ? "Authorization: " : "Proxy-Authorization: ") + auth, pendingExpires);
            return;
        }
        if (pendingExpires == 0) {
            registered = false;
            log.info("Unregistered {} from the proxy: {}", credential.aor(), response.startLine());
            unregistered.complete(null);
            return;
        }
        if (status >= 200 && status < 300) {
            int granted = granted(response);
            // once per connection, and again when what the agent says changed (a new path after a probe)
            if (!registered || !pendingHeader.equals(announced)) {
                log.info("Registered as {} with the proxy ({}), Pinhole-Edge: {}; refreshing in {} s",
                        credential.aor(), link.describe(), pendingHeader, refresh(granted));
            }
            announced = pendingHeader;
            registered = true;
            later(refresh(granted));
            return;
        }
        registered = false;
        log.error("The proxy refused the agent's login as {}: {} ({}); trying again in 60 s", credential.aor(),
                response.startLine(), credential instanceof EdgeToken ? "a wrong or revoked token in the --token-file?"
                        : "wrong user, domain or password in the --credential file?");
        later(60);
    }

    /** {@code ;token=...} after the header's value when the agent logs in with a token (over TLS only). */
    private String tokenParameter() {
        return credential instanceof EdgeToken token ? ";token=" + token.secret() : "";
    }

    private static int refresh(int granted) {
        return Math.max(5, Math.min(REFRESH_SECONDS, granted / 2));
    }

    private int granted(SipMessage response) {
        for (String contact : response.headers("Contact")) {
            if (contact.contains("ph-edge=" + routeId)) {
                String e = SipUri.headerParam(contact, "expires");
                if (e != null) {
                    try {
                        return Integer.parseInt(e);
                    } catch (NumberFormatException ignored) {
                        // fall back to Expires
                    }
                }
            }
        }
        String e = response.header("Expires");
        try {
            return e == null ? EXPIRES : Integer.parseInt(e.strip());
        } catch (NumberFormatException ex) {
            return EXPIRES;
        }
    }

    private void later(int seconds) {
        cancelTimer();
        timer = loop.schedule(this::register, seconds, TimeUnit.SECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
