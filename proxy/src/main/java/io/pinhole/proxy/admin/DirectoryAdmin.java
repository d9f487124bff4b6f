package io.pinhole.proxy.admin;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.directory.DirectoryRepository;
import io.pinhole.proxy.directory.DirectoryUser;
import io.pinhole.proxy.directory.Domain;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.directory.UserSummary;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.BindingRepository;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Locale;

/**
 * Admin changes to domains and users: writes them, then makes the SIP side see them at once
 * (directory reload, bindings of removed or disabled users dropped).
 */
@Service
public class DirectoryAdmin {

    private final DirectoryRepository repository;
    private final UserDirectory directory;
    private final BindingCache bindings;
    private final BindingRepository bindingRepository;

    public DirectoryAdmin(DirectoryRepository repository, UserDirectory directory, BindingCache bindings,
                          BindingRepository bindingRepository) {
        this.repository = repository;
        this.directory = directory;
        this.bindings = bindings;
        this.bindingRepository = bindingRepository;
    }

    public List<Domain> domains() {
        return repository.listDomains();
    }

    public Domain createDomain(String name) {
        if (!repository.createDomain(name)) {
            throw ApiException.conflict("domain " + name);
        }
        directory.reload();
        return domain(name);
    }

    public Domain domain(String name) {
        return repository.findDomain(normalize(name)).orElseThrow(() -> ApiException.notFound("domain " + name));
    }

    public Domain setDomainEnabled(String name, boolean enabled) {
        String domain = normalize(name);
        if (!repository.setDomainEnabled(domain, enabled)) {
            throw ApiException.notFound("domain " + name);
        }
        if (!enabled) {
            dropDomainBindings(domain);
        }
        directory.reload();
        return domain(domain);
    }

    public void deleteDomain(String name) {
        String domain = normalize(name);
        if (!repository.deleteDomain(domain)) {
            throw ApiException.notFound("domain " + name);
        }
        bindings.removeWhere(b -> b.aor().endsWith("@" + domain));
        directory.reload();
    }

    public List<UserSummary> users(String domain) {
        domain(domain);
        return repository.listUsers(normalize(domain));
    }

    public UserSummary user(String domain, String username) {
        return repository.findUser(normalize(domain), username)
                .orElseThrow(() -> ApiException.notFound("user " + username + "@" + domain));
    }

    public UserSummary createUser(String domainName, AdminRequests.CreateUser request) {
        String domain = domain(domainName).name();
        if (!repository.createUser(domain, request.username(), request.displayName(),
                DigestAlgorithm.MD5.ha1(request.username(), domain, request.password()),
                DigestAlgorithm.SHA_256.ha1(request.username(), domain, request.password()))) {
            throw ApiException.conflict("user " + request.username() + "@" + domain);
        }
        directory.reload();
        return user(domain, request.username());
    }

    public UserSummary updateUser(String domainName, String username, AdminRequests.UpdateUser request) {
        String domain = normalize(domainName);
        UserSummary existing = user(domain, username);
        if (request.password() != null) {
            repository.setUserDigests(domain, username, DigestAlgorithm.MD5.ha1(username, domain, request.password()),
                    DigestAlgorithm.SHA_256.ha1(username, domain, request.password()));
        }
        if (request.displayName() != null) {
            repository.setUserDisplayName(domain, username, request.displayName());
        }
        if (request.enabled() != null && request.enabled() != existing.enabled()) {
            repository.setUserEnabled(domain, username, request.enabled());
            if (!request.enabled()) {
                dropUserBindings(domain, username);
            }
        }
        directory.reload();
        return user(domain, username);
    }

    public void deleteUser(String domainName, String username) {
        String domain = normalize(domainName);
        String aor = username + "@" + domain;
        if (!repository.deleteUser(domain, username)) {
            throw ApiException.notFound("user " + aor);
        }
        bindings.removeWhere(b -> b.aor().equals(aor));
        directory.reload();
    }

    private void dropUserBindings(String domain, String username) {
        directory.find(domain, username).map(DirectoryUser::id).ifPresent(id -> {
            bindingRepository.deleteForUser(id);
            bindings.removeWhere(b -> b.userId() == id);
        });
    }

    private void dropDomainBindings(String domain) {
        bindingRepository.deleteForDomain(domain);
        bindings.removeWhere(b -> b.aor().endsWith("@" + domain));
    }

    private static String normalize(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }
}
