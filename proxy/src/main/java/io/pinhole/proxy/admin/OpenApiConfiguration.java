package io.pinhole.proxy.admin;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * The OpenAPI 3 document of the admin API, served by springdoc at {@code /v3/api-docs} behind
 * the admin token. springdoc reads the controllers; this adds the bearer scheme and the error
 * answers every operation can give (the {@link ApiError} body of {@link ApiExceptionHandler}).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String BEARER = "adminToken";

    /**
     * Operations without a path parameter that still answer 404, because their body names
     * something that must exist, with what is missing.
     */
    private static final Map<String, String> BODY_NAMES_EXISTING = Map.of(
            "POST /api/edge-agents", "no such user (the body's user@domain)");

    @Bean
    OpenAPI adminApi() {
        return new OpenAPI()
                .info(new Info().title("Pinhole admin API").version("1")
                        .description("Domains, users, registrations, routes, relays, live calls and CDRs of a Pinhole "
                                + "proxy. Every request needs Authorization: Bearer <pinhole.admin.token>."))
                .components(new Components().addSecuritySchemes(BEARER,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /**
     * Error answers by the rule the handlers follow: 401 everywhere; 400 where a body, a query
     * parameter or a numeric path parameter is read;
     * 404 for a named resource (in the path, or in the body: {@link #BODY_NAMES_EXISTING}); 409 where a write can conflict (or a call is not answered yet);
     * 503 where the database is read or written (live calls, their messages, registrations and the
     * overview come from memory).
     */
    @Bean
    OpenApiCustomizer errorResponses() {
        return api -> {
            Map<String, Schema> errorSchema = ModelConverters.getInstance().read(ApiError.class);
            errorSchema.forEach(api.getComponents()::addSchemas);
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
                operation.setResponses(responses);
                add(responses, "401", "missing or wrong bearer token");
                boolean input = operation.getRequestBody() != null || operation.getParameters() != null
                        && operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn())
                        || numeric(p.getSchema()));
                if (input) {
                    add(responses, "400", "invalid input; the message names each field");
                }
                if (path.contains("{")) {
                    add(responses, "404", "no such resource");
                }
                String missing = BODY_NAMES_EXISTING.get(method + " " + path);
                if (missing != null) {
                    add(responses, "404", missing);
                }
                if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH
                        || method == PathItem.HttpMethod.DELETE && path.startsWith("/api/calls/")) {
                    add(responses, "409", "conflicts with existing data (or the call is not answered yet)");
                }
                if (!path.startsWith("/api/calls") && !path.startsWith("/api/registrations")
                        && !path.equals("/api/overview")) {
                    add(responses, "503", "database unavailable");
                }
            }));
        };
    }

    /** OpenAPI 3.1 schemas keep their type in {@code types}, 3.0 ones in {@code type}. */
    private static boolean numeric(Schema<?> schema) {
        return schema != null && ("integer".equals(schema.getType())
                || schema.getTypes() != null && schema.getTypes().contains("integer"));
    }

    private static void add(ApiResponses responses, String status, String description) {
        responses.putIfAbsent(status, new ApiResponse().description(description).content(new Content()
                .addMediaType("application/json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/ApiError")))));
    }
}
