package io.pinhole.redirect.sip;

import io.pinhole.redirect.config.RedirectProperties;
import io.pinhole.redirect.routing.RouteReloader;
import io.pinhole.sip.SipEndpoint;
import io.pinhole.sip.SipStackSettings;
import io.pinhole.sip.hep.HepServerLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sip.SipListener;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The redirect server's {@link SipEndpoint}: one listening point per configured transport, same
 * address and port. Starts after the routes are loaded and stops before the reloader.
 */
public final class SipServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SipServer.class);

    private final RedirectProperties.Sip settings;
    private final RedirectProperties.Capture capture;
    private final SipListener listener;
    private SipEndpoint endpoint;

    SipServer(RedirectProperties.Sip settings, RedirectProperties.Capture capture, SipListener listener) {
        this.settings = settings;
        this.capture = capture;
        this.listener = listener;
    }

    @Override
    public synchronized void start() {
        SipStackSettings stackSettings = new SipStackSettings(
                "pinhole-redirect-" + settings.bindAddress() + "-" + settings.port(),
                settings.threadPoolSize(), 4 * 1024 * 1024, SipStackSettings.DEFAULT_MAX_MESSAGE_BYTES, null, null, "PKCS12", true);
        List<SipEndpoint.Transport> transports = settings.transports().stream()
                .map(transport -> new SipEndpoint.Transport(transport.toLowerCase(Locale.ROOT), settings.port()))
                .toList();
        Properties stackProperties = stackSettings.toProperties();
        capture.target().ifPresent(hep -> {
            stackProperties.putAll(HepServerLogger.stackProperties(hep));
            stackProperties.setProperty(HepServerLogger.LOCAL_ADDRESS, settings.bindAddress());
        });
        endpoint = SipEndpoint.open(stackProperties, settings.bindAddress(), transports, listener);
        LOG.info("redirect server answering SIP on {}:{} {} ({})", settings.bindAddress(), settings.port(),
                settings.transports(), settings.responseMode().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public synchronized void stop() {
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return endpoint != null;
    }

    @Override
    public int getPhase() {
        return RouteReloader.PHASE + 10;
    }
}
