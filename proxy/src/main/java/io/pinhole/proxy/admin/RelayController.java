package io.pinhole.proxy.admin;

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

/** The media relays: rows of the {@code relays} table with this proxy's view of their health and load. */
@RestController
@RequestMapping(path = "/api/relays", produces = MediaType.APPLICATION_JSON_VALUE)
public class RelayController {

    private final RelayAdmin admin;

    public RelayController(RelayAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<RelayView> list() {
        return admin.relays();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RelayView create(@Valid @RequestBody RelayRequests.CreateRelay request) {
        return admin.create(request);
    }

    @GetMapping("/{name}")
    RelayView get(@PathVariable String name) {
        return admin.relay(name);
    }

    @PatchMapping("/{name}")
    RelayView update(@PathVariable String name, @Valid @RequestBody RelayRequests.UpdateRelay request) {
        return admin.update(name, request);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name) {
        admin.delete(name);
    }
}
