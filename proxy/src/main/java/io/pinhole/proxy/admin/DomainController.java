package io.pinhole.proxy.admin;

import io.pinhole.proxy.directory.Domain;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping(path = "/api/domains", produces = MediaType.APPLICATION_JSON_VALUE)
public class DomainController {

    private final DirectoryAdmin admin;

    public DomainController(DirectoryAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<Domain> list() {
        return admin.domains();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Domain create(@Valid @RequestBody AdminRequests.CreateDomain request) {
        return admin.createDomain(request.name());
    }

    @GetMapping("/{domain}")
    Domain get(@PathVariable String domain) {
        return admin.domain(domain);
    }

    @PatchMapping("/{domain}")
    Domain update(@PathVariable String domain, @Valid @RequestBody AdminRequests.UpdateDomain request) {
        return admin.setDomainEnabled(domain, request.enabled());
    }

    @DeleteMapping("/{domain}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String domain) {
        admin.deleteDomain(domain);
    }
}
