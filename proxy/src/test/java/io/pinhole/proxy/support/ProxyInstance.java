package io.pinhole.proxy.support;

import io.pinhole.proxy.ProxyApplication;
import io.pinhole.testsupport.FreePorts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole proxy (Spring context, real SIP sockets, real PostgreSQL) started for a test, with a
 * small client for its admin API. {@link #restart()} keeps the database and ports.
 */
public final class ProxyInstance implements AutoCloseable {

    public static final String TOKEN = "test-admin-token-0123456789";

    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext context;
    private final int sipPort;

    private ProxyInstance(Map<String, Object> overrides) {
        // a test that must know the port before start (a cluster's peers name each other) chooses it
        this.sipPort = overrides.containsKey("pinhole.sip.port")
                ? Integer.parseInt(String.valueOf(overrides.get("pinhole.sip.port"))) : FreePorts.udpAndTcp();
        properties.put("spring.datasource.url", TestDatabase.freshDatabaseUrl());
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.put("pinhole.sip.bind-address", "127.0.0.1");
        properties.put("pinhole.sip.port", sipPort);
        properties.put("pinhole.admin.token", TOKEN);
        properties.putAll(overrides);
        start();
    }

    public static ProxyInstance start(Map<String, Object> overrides) {
        return new ProxyInstance(overrides);
    }

    private void start() {
        // As command-line arguments: they outrank application.yml (builder properties would not).
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        context = new SpringApplicationBuilder(ProxyApplication.class).run(args);
    }

    public void restart() {
        context.close();
        start();
    }

    /** The database this proxy uses: another proxy started with it shares its rows (a cluster). */
    public String databaseUrl() {
        return String.valueOf(properties.get("spring.datasource.url"));
    }

    public int sipPort() {
        return sipPort;
    }

    public String sipTarget() {
        return "127.0.0.1:" + sipPort;
    }

    public int adminPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Sends an admin request; returns status and body. */
    public HttpResponse<String> admin(String method, String path, String json) {
        return adminWithToken(method, path, json, TOKEN);
    }

    public HttpResponse<String> adminWithToken(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Creates the domain (if needed) and a user with this password. */
    /**
     * Adds a row to {@code relays} (weight 1) for the relay whose ng control is {@code control}
     * ({@code host:port}) and waits until the pool has read it; returns the row's id.
     */
    public long addRelay(String name, String control) {
        String[] hostPort = control.split(":");
        long id = bean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                "INSERT INTO relays (name, control_host, control_port, weight) VALUES (?, ?, ?, 1) RETURNING id",
                Long.class, name, hostPort[0], Integer.parseInt(hostPort[1]));
        io.pinhole.testsupport.Eventually.eventually(Duration.ofSeconds(5),
                () -> bean(io.pinhole.proxy.relay.RelayPool.class).relays().stream()
                        .anyMatch(r -> r.id() != null && r.id() == id), name + " in the pool");
        return id;
    }

    public void addUser(String domain, String username, String password) {
        var domainResponse = admin("POST", "/api/domains", "{\"name\":\"" + domain + "\"}");
        if (domainResponse.statusCode() != 201 && domainResponse.statusCode() != 409) {
            throw new IllegalStateException("creating domain: " + domainResponse.statusCode() + " " + domainResponse.body());
        }
        var user = admin("POST", "/api/domains/" + domain + "/users",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (user.statusCode() != 201) {
            throw new IllegalStateException("creating user: " + user.statusCode() + " " + user.body());
        }
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
    }
}
