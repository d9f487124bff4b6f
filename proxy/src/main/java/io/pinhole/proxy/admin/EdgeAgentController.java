package io.pinhole.proxy.admin;

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

/** Edge agents' login tokens (README "Edge agents: the proxy side", Login). */
@RestController
@RequestMapping(path = "/api/edge-agents", produces = MediaType.APPLICATION_JSON_VALUE)
public class EdgeAgentController {

    private final EdgeAgentAdmin admin;

    public EdgeAgentController(EdgeAgentAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    List<EdgeAgentView> list() {
        return admin.all();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    EdgeAgentCreated create(@Valid @RequestBody EdgeAgentRequests request) {
        return admin.create(request);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String name) {
        admin.revoke(name);
    }
}
