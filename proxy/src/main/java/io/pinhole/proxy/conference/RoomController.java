package io.pinhole.proxy.conference;

import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Conference rooms of a domain (the {@code conferences} table); the PIN is written, never shown. */
@RestController
@RequestMapping(path = "/api/domains/{domain}/conferences", produces = MediaType.APPLICATION_JSON_VALUE)
public class RoomController {

    private final RoomAdmin admin;

    RoomController(RoomAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<RoomView> list(@PathVariable String domain) {
        return admin.list(domain);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RoomView create(@PathVariable String domain, @Valid @RequestBody CreateRoom request) {
        return admin.create(domain, request);
    }

    @GetMapping("/{name}")
    RoomView get(@PathVariable String domain, @PathVariable String name) {
        return admin.get(domain, name);
    }

    /** Removes the room; parties in it stay until they hang up (end it first with DELETE /api/conferences/{room}). */
    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String domain, @PathVariable String name) {
        admin.delete(domain, name);
    }
}
