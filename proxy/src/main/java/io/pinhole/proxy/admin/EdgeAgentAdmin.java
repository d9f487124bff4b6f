package io.pinhole.proxy.admin;

import io.pinhole.proxy.edge.EdgeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Edge agents' login tokens: made (shown once, stored as SHA-256), listed without secrets, and
 * revoked. This proxy's token snapshot is read again at once; other proxies follow within their
 * {@code pinhole.edge.token-refresh}.
 */
@Service
class EdgeAgentAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAgentAdmin.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EdgeAgentStore store;
    private final EdgeTokens tokens;

    EdgeAgentAdmin(EdgeAgentStore store, EdgeTokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    List<EdgeAgentView> all() {
        return store.all();
    }

    EdgeAgentCreated create(EdgeAgentRequests request) {
        String domain = request.domain().strip().toLowerCase(Locale.ROOT);
        long userId = store.userId(request.user(), domain)
                .orElseThrow(() -> ApiException.notFound("user " + request.user() + "@" + domain));
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        if (!store.insert(request.name(), userId, EdgeTokens.sha256(secret))) {
            throw ApiException.conflict("edge agent " + request.name());
        }
        tokens.reload();
        String aor = request.user() + "@" + domain;
        LOG.info("edge agent token {} made for {}", request.name(), aor);
        return new EdgeAgentCreated(request.name(), aor, aor + ":" + secret);
    }

    void revoke(String name) {
        if (!store.revoke(name)) {
            throw ApiException.notFound("edge agent " + name);
        }
        tokens.reload();
        LOG.info("edge agent token {} revoked: an agent logged in with it is logged out, its next login refused", name);
    }
}
