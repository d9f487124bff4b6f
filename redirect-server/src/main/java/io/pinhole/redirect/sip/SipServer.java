package io.pinhole.redirect.sip;

import gov.nist.javax.sip.SipStackImpl;
import io.pinhole.redirect.config.RedirectProperties;
import io.pinhole.redirect.routing.RouteReloader;
import io.pinhole.sip.SipStackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sip.ListeningPoint;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import java.util.Locale;
import java.util.Properties;

/**
 * The JAIN-SIP stack and its listening points (one per transport, same address and port).
 * Starts after the routes are loaded and stops before the reloader.
 */
public final class SipServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);

    private final RedirectProperties.Sip settings;
    private final SipListener listener;
    private SipStackImpl stack;

    SipServer(RedirectProperties.Sip settings, SipListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    @Override
    public synchronized void start() {
        SipStackSettings stackSettings = new SipStackSettings(
                "pinhole-redirect-" + settings.bindAddress() + "-" + settings.port(),
                settings.threadPoolSize(), 4 * 1024 * 1024, SipStackSettings.DEFAULT_MAX_MESSAGE_BYTES, null, null, "PKCS12", true);
        try {
            Properties properties = stackSettings.toProperties();
            stack = new SipStackImpl(properties);
            for (String transport : settings.transports()) {
                ListeningPoint point = stack.createListeningPoint(settings.bindAddress(), settings.port(),
                        transport.toLowerCase(Locale.ROOT));
                SipProvider provider = stack.createSipProvider(point);
                provider.addSipListener(listener);
            }
            stack.start();
        } catch (Exception e) {
            stopStack();
            throw new IllegalStateException("cannot listen for SIP on " + settings.bindAddress() + ":"
                    + settings.port() + " " + settings.transports() + ": " + e.getMessage(), e);
        }
        LOG.info("redirect server answering SIP on {}:{} {} ({})", settings.bindAddress(), settings.port(),
                settings.transports(), settings.responseMode().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public synchronized void stop() {
        stopStack();
    }

    @Override
    public synchronized boolean isRunning() {
        return stack != null;
    }

    @Override
    public int getPhase() {
        return RouteReloader.PHASE + 10;
    }

    private void stopStack() {
        if (stack != null) {
            stack.stop();
            stack = null;
        }
    }
}
