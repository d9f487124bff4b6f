package io.pinhole.proxy.cluster;

import io.pinhole.db.notify.ListenConnector;
import io.pinhole.db.notify.NotificationListener;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.BindingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps this proxy's {@link BindingCache} in step with the bindings other proxies of the cluster
 * write: the database module's {@link NotificationListener} LISTENs on {@code pinhole_registrations}
 * (V20__registrations_notify_per_statement.sql's statement triggers notify once per changed user) and this reloads only the user
 * named. After every (re)connect it reloads every binding once, and otherwise never; while the
 * database is away, calls are routed from the bindings known.
 */
public final class BindingListener implements SmartLifecycle, NotificationListener.Subscriber {

    public static final String CHANNEL = "pinhole_registrations";
    public static final String APPLICATION_NAME = "pinhole-binding-listener";

    /** Back-off 250 ms doubling to 10 s; a quiet connection is checked every 5 s; no periodic full reload. */
    static final NotificationListener.Settings SETTINGS = new NotificationListener.Settings(
            Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ZERO);

    private static final Logger LOG = LoggerFactory.getLogger(BindingListener.class);

    private final BindingRepository repository;
    private final BindingCache cache;
    private final NotificationListener listener;
    private final boolean enabled;
    private volatile boolean running;

    /** @param enabled false without a cluster: then it never connects */
    public BindingListener(ListenConnector connector, BindingRepository repository, BindingCache cache, boolean enabled) {
        this.repository = repository;
        this.cache = cache;
        this.enabled = enabled;
        this.listener = new NotificationListener("binding listener", CHANNEL, connector, SETTINGS, this);
    }

    /** Times the listening connection was opened again after it was lost. */
    public long reconnects() {
        return listener.reconnects();
    }

    /** Notifications taken in. */
    public long notifications() {
        return listener.notifications();
    }

    /** Whether the listening connection is open now. */
    public boolean listening() {
        return listener.listening();
    }

    @Override
    public void start() {
        running = true;
        if (enabled) {
            listener.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        listener.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void resync(Connection connection) {
        List<Binding> stored = repository.loadLive();
        cache.mergeAllStored(stored);
        LOG.debug("binding listener: {} stored bindings taken in", stored.size());
    }

    @Override
    public void notified(List<String> payloads, Connection connection) {
        boolean all = false;
        Set<Long> users = new LinkedHashSet<>();
        for (String payload : payloads) {
            Optional<RegistrationChange> change = RegistrationChange.parse(payload);
            if (change.isEmpty()) {
                LOG.warn("binding listener: unreadable notification '{}', reloading every binding", payload);
                all = true;
            } else if (change.get() instanceof RegistrationChange.All) {
                all = true;
            } else if (change.get() instanceof RegistrationChange.User user) {
                users.add(user.userId());
            }
        }
        if (all) {
            resync(connection);
            return;
        }
        users.forEach(this::reloadUser);
    }

    @Override
    public String whileDown() {
        return "routing from the " + cache.size() + " bindings known";
    }

    private void reloadUser(long userId) {
        List<Binding> stored = repository.loadLive(userId);
        if (!stored.isEmpty()) {
            cache.mergeStored(stored.get(0).aor(), stored);
            return;
        }
        Optional<String> aor = repository.aorOf(userId);
        if (aor.isPresent()) {
            cache.mergeStored(aor.get(), List.of());
        } else {
            cache.dropAllOf(userId); // the user was deleted: no write of ours can be pending for them
        }
    }
}
