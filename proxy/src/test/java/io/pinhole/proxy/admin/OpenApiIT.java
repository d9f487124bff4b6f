package io.pinhole.proxy.admin;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.pinhole.proxy.support.ProxyInstance;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the proxy serves, checked against the controllers themselves: every
 * admin endpoint Spring routes is in the document with its parameters, request and response
 * schema names and status, the document has nothing more, and each schema has exactly the JSON
 * properties Jackson writes for its type. An endpoint, field or status changed in code without
 * the document following fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {

    /** The API as the README lists it: a controller removed or renamed by mistake fails here too. */
    private static final Set<String> ENDPOINTS = new TreeSet<>(List.of(
            "GET /api/domains", "POST /api/domains", "GET /api/domains/{domain}", "PATCH /api/domains/{domain}",
            "DELETE /api/domains/{domain}",
            "GET /api/domains/{domain}/users", "POST /api/domains/{domain}/users",
            "GET /api/domains/{domain}/users/{username}", "PATCH /api/domains/{domain}/users/{username}",
            "DELETE /api/domains/{domain}/users/{username}",
            "GET /api/registrations",
            "GET /api/routes", "POST /api/routes", "GET /api/routes/{id}", "PATCH /api/routes/{id}",
            "DELETE /api/routes/{id}",
            "GET /api/relays", "POST /api/relays", "GET /api/relays/{name}", "PATCH /api/relays/{name}",
            "DELETE /api/relays/{name}",
            "GET /api/edge-agents", "POST /api/edge-agents", "DELETE /api/edge-agents/{name}",
            "GET /api/calls", "GET /api/calls/{callId}", "DELETE /api/calls/{callId}",
            "GET /api/calls/{callId}/messages", "GET /api/overview",
            "GET /api/cdrs",
            "GET /api/bans", "DELETE /api/bans/{address}",
            "GET /api/domains/{domain}/conferences", "POST /api/domains/{domain}/conferences",
            "GET /api/domains/{domain}/conferences/{name}", "DELETE /api/domains/{domain}/conferences/{name}",
            "GET /api/conferences", "DELETE /api/conferences/{room}",
            "POST /api/conferences/{room}/parties/{callId}/mute", "POST /api/conferences/{room}/parties/{callId}/unmute",
            "DELETE /api/conferences/{room}/parties/{callId}"));

    private ProxyInstance proxy;
    private ObjectMapper jackson;
    private JsonNode document;

    @BeforeAll
    void start() throws IOException {
        proxy = ProxyInstance.start(Map.of());
        jackson = proxy.bean(ObjectMapper.class);
        var response = proxy.admin("GET", "/v3/api-docs", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        document = jackson.readTree(response.body());
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void isServedOnlyWithTheAdminToken() {
        assertThat(proxy.adminWithToken("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(401);
        assertThat(proxy.adminWithToken("GET", "/v3/api-docs", null, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(document.get("openapi").asText()).startsWith("3.");
        assertThat(document.at("/components/securitySchemes/adminToken/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("adminToken")).isTrue();
    }

    @Test
    void listsExactlyTheEndpointsSpringRoutes() {
        Set<String> routed = new TreeSet<>(handlers().keySet());
        Set<String> documented = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method ->
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(routed).isEqualTo(ENDPOINTS);
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void describesEachEndpointsParametersBodiesAndAnswers() {
        handlers().forEach((endpoint, handler) -> {
            String[] methodAndPath = endpoint.split(" ", 2);
            JsonNode operation = document.path("paths").path(methodAndPath[1]).path(methodAndPath[0].toLowerCase(Locale.ROOT));
            assertThat(operation.isMissingNode()).as(endpoint + " is documented").isFalse();
            List<String> parameters = new ArrayList<>();
            operation.path("parameters").forEach(p -> parameters.add(p.get("in").asText() + ":" + p.get("name").asText()));
            JsonNode requestSchema = null;
            for (MethodParameter parameter : handler.getMethodParameters()) {
                parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
                PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
                RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
                if (path != null) {
                    assertThat(parameters).as(endpoint).contains("path:" + parameter.getParameterName());
                }
                if (query != null) {
                    assertThat(parameters).as(endpoint).contains("query:" + parameter.getParameterName());
                }
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    requestSchema = operation.at("/requestBody/content/application~1json/schema");
                    assertThat(requestSchema.path("$ref").asText()).as(endpoint + " request body")
                            .isEqualTo(ref(requestType(parameter)));
                }
            }
            if (requestSchema == null) {
                assertThat(operation.has("requestBody")).as(endpoint + " takes no body").isFalse();
            }

            ResponseStatus status = handler.getMethodAnnotation(ResponseStatus.class);
            String code = String.valueOf(status == null ? HttpStatus.OK.value() : status.value().value());
            JsonNode answer = operation.at("/responses/" + code);
            assertThat(answer.isMissingNode()).as(endpoint + " answers " + code).isFalse();
            ResolvableType returned = ResolvableType.forMethodReturnType(handler.getMethod());
            if (returned.resolve() == void.class) {
                ApiResponse documented = handler.getMethodAnnotation(ApiResponse.class);
                if (documented == null) {
                    assertThat(answer.has("content")).as(endpoint + " answers without a body").isFalse();
                } else {
                    assertThat(answer.at("/content").has(documented.content()[0].mediaType())).as(endpoint).isTrue();
                }
            } else {
                assertThat(answer.at("/content/application~1json/schema")).as(endpoint + " response")
                        .isEqualTo(schemaOf(returned));
            }

            if (endpoint.equals("GET /api/cdrs")) {
                assertThat(answer.at("/content/text~1csv/schema/type").asText()).as("the CSV export").isEqualTo("string");
                assertThat(parameters).contains("query:format");
            }
            assertThat(operation.at("/responses/401/content/application~1json/schema/$ref").asText())
                    .as(endpoint + " 401").isEqualTo(ref("ApiError"));
            if (methodAndPath[1].contains("{")) {
                assertThat(operation.at("/responses/404").isMissingNode()).as(endpoint + " 404").isFalse();
            }
            if (requestSchema != null) {
                assertThat(operation.at("/responses/400").isMissingNode()).as(endpoint + " 400").isFalse();
            }
        });
    }

    /**
     * A 404 that no path parameter explains: making an edge agent's token for a user that does not
     * exist. The document lists it with the ApiError body the API answers.
     */
    @Test
    void documentsThe404OfAnEdgeAgentTokenForAnUnknownUser() {
        var answered = proxy.admin("POST", "/api/edge-agents", "{\"name\":\"openapi1\",\"user\":\"nobody\","
                + "\"domain\":\"nowhere.example\"}");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(404);
        assertThat(document.at("/paths/~1api~1edge-agents/post/responses/404/content/application~1json/schema/$ref")
                .asText()).as("POST /api/edge-agents 404").isEqualTo(ref("ApiError"));
    }

    @Test
    void givesEverySchemaExactlyThePropertiesJacksonWrites() {
        Map<String, JavaType> types = new TreeMap<>();
        collect(jackson.constructType(ApiError.class), types);
        handlers().values().forEach(handler -> {
            collect(jackson.constructType(ResolvableType.forMethodReturnType(handler.getMethod()).getType()), types);
            for (MethodParameter parameter : handler.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    collect(jackson.constructType(requestType(parameter)), types);
                }
            }
        });
        JsonNode schemas = document.at("/components/schemas");
        Set<String> documented = new TreeSet<>();
        schemas.fieldNames().forEachRemaining(documented::add);

        assertThat(documented).isEqualTo(types.keySet());
        types.forEach((name, type) -> {
            Set<String> written = new TreeSet<>();
            for (BeanPropertyDefinition property : jackson.getSerializationConfig().introspect(type).findProperties()) {
                written.add(property.getName());
            }
            Set<String> described = new TreeSet<>();
            schemas.get(name).path("properties").fieldNames().forEachRemaining(described::add);
            assertThat(described).as("schema " + name).isEqualTo(written);
        });
    }

    /** Every controller method of the admin API (all our controllers), as "METHOD /path". */
    private Map<String, HandlerMethod> handlers() {
        Map<String, HandlerMethod> handlers = new TreeMap<>();
        for (var mapping : proxy.bean(DispatcherServlet.class).getHandlerMappings()) {
            if (!(mapping instanceof RequestMappingHandlerMapping requests)) {
                continue;
            }
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : requests.getHandlerMethods().entrySet()) {
                // every controller of ours is admin API, whichever feature package holds it (bans: flood)
                if (!e.getValue().getBeanType().getPackageName().startsWith("io.pinhole.proxy")) {
                    continue;
                }
                for (String path : e.getKey().getPatternValues()) {
                    for (RequestMethod method : e.getKey().getMethodsCondition().getMethods()) {
                        // the CDR CSV export shares GET /api/cdrs with the JSON search: one operation, two media types
                        handlers.putIfAbsent(method + " " + path, e.getValue());
                        if (e.getValue().getReturnType().getParameterType() != void.class) {
                            handlers.put(method + " " + path, e.getValue());
                        }
                    }
                }
            }
        }
        return handlers;
    }

    /** The documented body of a request: a JSON merge patch is described by the type it patches. */
    private static Class<?> requestType(MethodParameter parameter) {
        var documented = parameter.getParameterAnnotation(io.swagger.v3.oas.annotations.parameters.RequestBody.class);
        if (documented != null && documented.content().length > 0) {
            return documented.content()[0].schema().implementation();
        }
        return parameter.getParameterType();
    }

    private JsonNode schemaOf(ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == List.class) {
            return jackson.createObjectNode().put("type", "array")
                    .set("items", jackson.createObjectNode().put("$ref", ref(schemaName(type.getGeneric(0)))));
        }
        return jackson.createObjectNode().put("$ref", ref(schemaName(type)));
    }

    private static String schemaName(ResolvableType type) {
        Class<?> raw = type.resolve();
        return raw == Page.class ? "Page" + type.getGeneric(0).resolve().getSimpleName() : raw.getSimpleName();
    }

    private static String ref(Class<?> type) {
        return ref(type.getSimpleName());
    }

    private static String ref(String name) {
        return "#/components/schemas/" + name;
    }

    /** The schema names a type brings into the document, with the types they stand for. */
    private void collect(JavaType type, Map<String, JavaType> into) {
        if (type.isCollectionLikeType()) {
            collect(type.getContentType(), into);
            return;
        }
        Class<?> raw = type.getRawClass();
        if (!raw.isRecord() || !raw.getPackageName().startsWith("io.pinhole")) {
            return;
        }
        String name = raw == Page.class ? "Page" + type.containedType(0).getRawClass().getSimpleName() : raw.getSimpleName();
        if (into.putIfAbsent(name, type) != null) {
            return;
        }
        for (RecordComponent component : raw.getRecordComponents()) {
            collect(jackson.getTypeFactory().resolveMemberType(component.getGenericType(), type.getBindings()), into);
        }
    }
}
