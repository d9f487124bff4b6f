package io.pinhole.proxy.admin;

import io.pinhole.proxy.directory.UserSummary;
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
@RequestMapping(path = "/api/domains/{domain}/users", produces = MediaType.APPLICATION_JSON_VALUE)
public class UserController {

    private final DirectoryAdmin admin;

    public UserController(DirectoryAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<UserSummary> list(@PathVariable String domain) {
        return admin.users(domain);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    UserSummary create(@PathVariable String domain, @Valid @RequestBody AdminRequests.CreateUser request) {
        return admin.createUser(domain, request);
    }

    @GetMapping("/{username}")
    UserSummary get(@PathVariable String domain, @PathVariable String username) {
        return admin.user(domain, username);
    }

    @PatchMapping("/{username}")
    UserSummary update(@PathVariable String domain, @PathVariable String username,
                       @Valid @RequestBody AdminRequests.UpdateUser request) {
        return admin.updateUser(domain, username, request);
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String domain, @PathVariable String username) {
        admin.deleteUser(domain, username);
    }
}
