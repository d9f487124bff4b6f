package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Redirect and trunk routes (the {@code routes} table the redirect servers serve). */
@RestController
@RequestMapping(path = "/api/routes", produces = MediaType.APPLICATION_JSON_VALUE)
public class RouteController {

    private final RouteAdmin admin;

    public RouteController(RouteAdmin admin) {
        this.admin = admin;
    }

    @GetMapping
    Page<RouteView> list(
            @Parameter(description = "only routes for this domain") @RequestParam(required = false) String domain,
            @Parameter(description = "only routes whose number prefix starts with this")
            @RequestParam(required = false) String prefix,
            @Parameter(description = "at most this many (1-1000, default 100)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "skip this many (default 0)") @RequestParam(required = false) Integer offset) {
        return admin.routes(domain, prefix, limit, offset);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RouteView create(@Valid @RequestBody RouteRequest request) {
        return admin.create(request);
    }

    @GetMapping("/{id}")
    RouteView get(@PathVariable long id) {
        return admin.route(id);
    }

    @PatchMapping("/{id}")
    RouteView update(@PathVariable long id,
                     @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "the fields to "
                             + "change (JSON merge patch, RFC 7396); the merged route is checked as a new one would be",
                             content = @Content(schema = @Schema(implementation = RouteRequest.class)))
                     @RequestBody JsonNode patch) {
        return admin.update(id, patch);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        admin.delete(id);
    }
}
