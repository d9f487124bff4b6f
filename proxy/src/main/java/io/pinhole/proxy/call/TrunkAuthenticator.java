package io.pinhole.proxy.call;

import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentialHash;
import io.pinhole.proxy.routing.TrunkCredential;
import io.pinhole.proxy.routing.TrunkCredentials;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.message.Response;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers a carrier trunk's 401/407 on a forked INVITE with the trunk's stored HA1 (RFC 2617
 * digest, MD5: what the RI's helper does), re-sending the INVITE as the same fork.
 */
final class TrunkAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkAuthenticator.class);

    private final TrunkCredentials credentials;
    private final CallRegistry registry;
    private final CallMessages messages;
    private final SipFactories factories;
    private final SipSender sender;

    TrunkAuthenticator(TrunkCredentials credentials, CallRegistry registry, CallMessages messages,
                       SipFactories factories, SipSender sender) {
        this.credentials = credentials;
        this.registry = registry;
        this.messages = messages;
        this.factories = factories;
        this.sender = sender;
    }

    /** @return true when the challenge was answered and a new fork replaces {@code branch} */
    boolean answer(Branch branch, Response challenge) {
        // By the address sent to, else by the host and port of the target (a name resolved by DNS).
        Optional<TrunkCredential> credential = credentials.forTarget(branch.flow.address(), branch.flow.port())
                .or(() -> branch.transaction().getRequest().getRequestURI() instanceof SipURI uri
                        ? credentials.forTarget(uri.getHost().toLowerCase(Locale.ROOT),
                        uri.getPort() > 0 ? uri.getPort() : uri.isSecure() ? 5061 : 5060) : Optional.empty());
        if (credential.isEmpty()) {
            return false;
        }
        TrunkCredential c = credential.get();
        AuthenticationHelper helper = sender.stack().getSecureAuthenticationHelper((transaction, realm) -> {
            if (!c.realm().equals(realm)) {
                LOG.warn("trunk {}:{} challenges with realm {}, our credential is for {}", c.host(), c.port(), realm,
                        c.realm());
            }
            return new UserCredentialHash() {
                public String getUserName() {
                    return c.username();
                }

                public String getSipDomain() {
                    return c.realm();
                }

                public String getHashUserDomainPassword() {
                    return c.ha1Md5();
                }
            };
        }, factories.headers());
        Call call = branch.call;
        try {
            SipProvider provider = messages.provider(branch.flow);
            ClientTransaction retry = helper.handleChallenge(challenge, branch.transaction(), provider, 5, true);
            FlowRouter.route(retry.getRequest(), branch.flow);
            Dialog dialog = provider.getNewDialog(retry);
            Branch again = new Branch(call, retry, dialog, branch.flow, branch.nat);
            again.authenticated = true;
            synchronized (call) {
                if (call.state == Call.State.ENDED) {
                    return true;
                }
                branch.done = true;
                call.branches.add(again);
            }
            registry.addBranch(call, again);
            retry.sendRequest();
            LOG.info("call {}: answered trunk {}:{}'s {} as {}", call.callerCallId, c.host(), c.port(),
                    challenge.getStatusCode(), c.username());
            return true;
        } catch (Exception e) {
            LOG.warn("call {}: could not answer trunk {}:{}'s challenge: {}", call.callerCallId, c.host(), c.port(),
                    e.toString());
            return false;
        }
    }
}
