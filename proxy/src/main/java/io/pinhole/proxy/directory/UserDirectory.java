package io.pinhole.proxy.directory;

import io.pinhole.proxy.database.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users and domains the SIP side looks up, held in memory so that no SIP thread waits on
 * the database. Reloaded after every admin change in this process and periodically, so
 * changes made by another proxy or by hand in SQL arrive within the refresh interval.
 */
@Component
public class UserDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

    private record Snapshot(Map<String, DirectoryUser> users, Set<String> enabledDomains) {
    }

    private final DirectoryRepository repository;
    private final DatabaseStatus database;
    private final Set<String> onlyDomains;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Set.of());

    public UserDirectory(DirectoryRepository repository, DirectoryProperties properties, DatabaseStatus database) {
        this.repository = repository;
        this.database = database;
        this.onlyDomains = properties.domains().stream().filter(d -> !d.isBlank())
                .map(d -> d.toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        reload();
    }

    public Optional<DirectoryUser> find(String domain, String username) {
        return Optional.ofNullable(snapshot.users().get(key(domain, username)));
    }

    public boolean servesDomain(String domain) {
        return domain != null && snapshot.enabledDomains().contains(domain.toLowerCase(java.util.Locale.ROOT));
    }

    public int userCount() {
        return snapshot.users().size();
    }

    @Scheduled(fixedDelayString = "${pinhole.directory.refresh-interval:5s}",
            initialDelayString = "${pinhole.directory.refresh-interval:5s}")
    public void reload() {
        try {
            Map<String, DirectoryUser> users = new HashMap<>();
            for (DirectoryUser user : repository.loadUsers()) {
                if (!onlyDomains.isEmpty() && !onlyDomains.contains(user.domain())) {
                    continue;
                }
                users.put(key(user.domain(), user.username()), user);
            }
            Set<String> domains = new HashSet<>();
            for (Domain domain : repository.listDomains()) {
                if (domain.enabled() && (onlyDomains.isEmpty() || onlyDomains.contains(domain.name()))) {
                    domains.add(domain.name());
                }
            }
            snapshot = new Snapshot(Map.copyOf(users), Set.copyOf(domains));
            database.reachable();
        } catch (RuntimeException e) {
            // Keep serving the last good snapshot: a database outage must not log everyone out.
            if (database.unreachable("reloading users and domains", e)) {
                return; // logged once per outage
            }
            LOG.warn("directory reload failed, serving the previous snapshot: {}", e.toString());
        }
    }

    private static String key(String domain, String username) {
        return domain.toLowerCase(java.util.Locale.ROOT) + "\u0000" + username;
    }
}
