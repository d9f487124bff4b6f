package io.pinhole.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.routing.TrunkCredentials;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Service;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Admin changes to routes. The redirect servers hear of each committed write through the
 * table's trigger (NOTIFY pinhole_routes); this proxy's trunk credentials are re-read at once.
 * Trunk passwords become HA1 digests (MD5, which the proxy answers carriers with, and SHA-256)
 * and are dropped.
 */
@Service
class RouteAdmin {

    private static final Set<String> FIELDS = Stream.of(RouteRequest.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

    private final RouteStore store;
    private final TrunkCredentials trunks;
    private final Validator validator;
    private final ObjectMapper json;

    RouteAdmin(RouteStore store, TrunkCredentials trunks, Validator validator, ObjectMapper json) {
        this.store = store;
        this.trunks = trunks;
        this.validator = validator;
        this.json = json;
    }

    public Page<RouteView> routes(String domain, String prefix, Integer limit, Integer offset) {
        if (domain != null && !domain.matches(RouteRequest.HOST_PATTERN)) {
            throw ApiException.badRequest("domain: must be a host name");
        }
        if (prefix != null && !prefix.matches("^\\+?[0-9]{1,32}$")) {
            throw ApiException.badRequest("prefix: must be '+'? and 1 to 32 digits");
        }
        return store.list(domain, prefix, Page.Window.of(limit, offset));
    }

    public RouteView route(long id) {
        return stored(id).view();
    }

    public RouteView create(RouteRequest request) {
        requireConsistent(request);
        RouteStore.Row row = row(request, null);
        if (store.duplicates(row, null)) {
            throw ApiException.conflict("a route with this match and target");
        }
        long id = store.insert(row);
        trunks.reload();
        return route(id);
    }

    /**
     * Merges {@code patch} into the route (RFC 7396: a field given replaces, null clears) and
     * checks the result as a whole, as a new route would be. Without {@code auth} in the patch the
     * stored credentials stay.
     */
    public RouteView update(long id, JsonNode patch) {
        if (!(patch instanceof ObjectNode fields)) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        fields.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest(unknown.stream().sorted().map(n -> n + ": no such field")
                    .collect(Collectors.joining("; ")));
        }
        RouteStore.Stored current = stored(id);
        ObjectNode merged = json.valueToTree(asRequest(current.view()));
        for (Iterator<String> names = fields.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            merged.set(name, fields.get(name));
        }
        RouteRequest request = read(merged);
        List<String> problems = violations(request);
        boolean keepsCredentials = !fields.has("auth") && current.view().auth() != null;
        if (keepsCredentials && !"trunk".equals(request.kind())) {
            problems.add("auth: only trunk routes carry credentials (set auth to null to remove them)");
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.stream().sorted().collect(Collectors.joining("; ")));
        }
        RouteStore.Row row = row(request, keepsCredentials ? current : null);
        if (store.duplicates(row, id)) {
            throw ApiException.conflict("another route with this match and target");
        }
        if (!store.update(id, row)) {
            throw ApiException.notFound("route " + id);
        }
        trunks.reload();
        return route(id);
    }

    public void delete(long id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("route " + id);
        }
        trunks.reload();
    }

    private RouteStore.Stored stored(long id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("route " + id));
    }

    /** Bean Validation ran on the body already; the rules across fields are checked here. */
    private static void requireConsistent(RouteRequest request) {
        List<String> problems = request.crossFieldProblems();
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.stream().sorted().collect(Collectors.joining("; ")));
        }
    }

    private List<String> violations(RouteRequest request) {
        List<String> problems = new ArrayList<>(request.crossFieldProblems());
        for (ConstraintViolation<RouteRequest> v : validator.validate(request)) {
            problems.add(v.getPropertyPath() + ": " + v.getMessage());
        }
        return problems;
    }

    private RouteRequest read(ObjectNode merged) {
        try {
            return json.treeToValue(merged, RouteRequest.class);
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                    .collect(Collectors.joining("."));
            throw ApiException.badRequest((field.isEmpty() ? "body" : field) + ": has the wrong type");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body is not valid JSON for this resource");
        }
    }

    /** The route as a request, without credentials (the password is not known). */
    private static RouteRequest asRequest(RouteView v) {
        return new RouteRequest(v.matchUser(), v.matchDomain(), v.matchPrefix(), v.targetUri(), v.kind(), v.priority(),
                v.weight(), v.permanent(), v.expiresSeconds(), v.enabled(), v.intlPrefix(), v.nationalPrefix(),
                v.countryCode(), v.plusOptional(), v.numberFormat(), v.transport(), null);
    }

    /**
     * The columns to write, with the table's defaults for absent fields. Credentials come from
     * the request, or stay as {@code kept} has them stored.
     */
    private static RouteStore.Row row(RouteRequest r, RouteStore.Stored kept) {
        String username = null;
        String realm = null;
        String md5 = null;
        String sha256 = null;
        if (r.auth() != null) {
            username = r.auth().username();
            realm = r.auth().realm();
            md5 = DigestAlgorithm.MD5.ha1(username, realm, r.auth().password());
            sha256 = DigestAlgorithm.SHA_256.ha1(username, realm, r.auth().password());
        } else if (kept != null) {
            username = kept.view().auth().username();
            realm = kept.view().auth().realm();
            md5 = kept.ha1Md5();
            sha256 = kept.ha1Sha256();
        }
        return new RouteStore.Row(r.matchUser(),
                r.matchDomain() == null ? null : r.matchDomain().toLowerCase(Locale.ROOT),
                r.matchPrefix(), r.targetUri().strip(), r.kind() == null ? "proxy" : r.kind(),
                r.priority() == null ? 1.0f : r.priority(), r.weight() == null ? 1 : r.weight(),
                Boolean.TRUE.equals(r.permanent()), r.expiresSeconds(), r.enabled() == null || r.enabled(),
                r.intlPrefix(), r.nationalPrefix(), r.countryCode(), Boolean.TRUE.equals(r.plusOptional()),
                r.numberFormat() == null ? "as-received" : r.numberFormat(), r.transport(),
                username, realm, md5, sha256);
    }
}
