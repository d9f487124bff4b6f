package io.pinhole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin API over HTTP, JSON in and out. Every failure becomes a {@link CliException} with a
 * sentence a person can act on: the API's own error message for 4xx/5xx, the URL for a proxy
 * that does not answer, the token's source for a 401.
 */
final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI base;
    private final Supplier<AdminTarget> targets;
    private AdminTarget target;

    /**
     * @param targets read at the first request that needs the token, so a wrong command line is
     *                reported as such before a missing token is
     */
    AdminClient(HttpClient http, ObjectMapper json, URI base, Supplier<AdminTarget> targets) {
        this.http = http;
        this.json = json;
        this.base = base;
        this.targets = targets;
    }

    private AdminTarget target() {
        if (target == null) {
            target = targets.get();
        }
        return target;
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return body(send("GET", path, null));
    }

    JsonNode post(String path, JsonNode body) {
        return body(send("POST", path, body));
    }

    void delete(String path) {
        send("DELETE", path, null);
    }

    /** GET that answers empty for 404 (the object does not exist) instead of failing. */
    Optional<JsonNode> find(String path) {
        HttpResponse<String> response = send("GET", path, null, true);
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(body(response));
    }

    /** The proxy's health ({@code UP}, or {@code DOWN} with 503): needs no token. */
    String health() {
        HttpResponse<String> response = exchange(request("GET", "/actuator/health", null, false));
        try {
            JsonNode status = json.readTree(response.body()).path("status");
            if (status.isTextual()) {
                return status.asText();
            }
        } catch (IOException e) {
            // not JSON: reported below
        }
        throw new CliException(CliException.REFUSED, base + "/actuator/health answered " + response.statusCode()
                + " without a status: is that a Pinhole proxy?");
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        return send(method, path, body, false);
    }

    private HttpResponse<String> send(String method, String path, JsonNode body, boolean notFoundIsAnswer) {
        HttpResponse<String> response = exchange(request(method, path, body, true));
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new CliException(CliException.TOKEN, "the admin API at " + base + " refused the token from "
                    + target().tokenSource() + " (HTTP " + status + "): it is not the token this proxy was started "
                    + "with; ./pinhole token prints the launcher's");
        }
        if (status >= 400 && !(status == 404 && notFoundIsAnswer)) {
            throw new CliException(CliException.REFUSED, apiMessage(response) + " (HTTP " + status + " from "
                    + method + " " + path + ")");
        }
        return response;
    }

    private HttpRequest request(String method, String path, JsonNode body, boolean withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
                    .header("Content-Type", "application/json");
        }
        if (withToken) {
            request.header("Authorization", "Bearer " + target().token());
        }
        return request.build();
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach the admin API at " + base
                    + ": is the proxy running (./pinhole start), and on that address? (--url or PINHOLE_ADMIN_URL)");
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "the admin API at " + base + " did not answer "
                    + request.method() + " " + request.uri().getPath() + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "talking to the admin API at " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted");
        }
    }

    private JsonNode body(HttpResponse<String> response) {
        if (response.body() == null || response.body().isBlank()) {
            return json.nullNode();
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(CliException.REFUSED, "the admin API answered " + response.statusCode()
                    + " with a body that is not JSON: is " + base + " a Pinhole proxy's admin port?");
        }
    }

    /** The API's {@code {"status","message"}} error, or the raw status when the body is something else. */
    private String apiMessage(HttpResponse<String> response) {
        try {
            JsonNode message = json.readTree(response.body()).path("message");
            if (message.isTextual() && !message.asText().isBlank()) {
                return message.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not the API's error format: fall through
        }
        return "the admin API refused the request";
    }
}
