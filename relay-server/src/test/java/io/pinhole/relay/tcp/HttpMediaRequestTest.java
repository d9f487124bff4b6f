package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpMediaRequestTest {

    private static final String TOKEN = "cwSH0S8cVKwivxFr5xYQtA";
    private static final String BEARER = "Bearer " + TOKEN;

    static Stream<Arguments> table() {
        return Stream.of(
                // method, uri, authorization, cookie, body length -> status, reason / poll
                Arguments.of("GET", "/pinhole/media", BEARER, null, 0, 0, "poll"),
                Arguments.of("GET", "/pinhole/media?x=1", BEARER, null, 0, 0, "poll"),
                Arguments.of("GET", "http://relay.example:8080/pinhole/media", BEARER, null, 0, 0, "poll"),
                Arguments.of("POST", "/pinhole/media", BEARER, null, 10, 0, "media"),
                Arguments.of("POST", "/pinhole/media", "bearer " + TOKEN, null, 0, 0, "media"),
                Arguments.of("GET", "/pinhole/media", BEARER, "a=b; pinhole-media=AAQAAQID", 0, 0, "cookie"),
                Arguments.of("GET", "/pinhole/media", BEARER, "a=b", 0, 0, "poll"),
                Arguments.of("GET", "/", BEARER, null, 0, 404, "unknown path /"),
                Arguments.of("GET", "http://relay.example", BEARER, null, 0, 404, "unknown path http://relay.example"),
                Arguments.of("PUT", "/pinhole/media", BEARER, null, 0, 405, "method PUT (GET or POST)"),
                Arguments.of("GET", "/pinhole/media", null, null, 0, 403, "no call token"),
                Arguments.of("GET", "/pinhole/media", "Basic abc", null, 0, 403, "no call token"),
                Arguments.of("GET", "/pinhole/media", "Bearer not a token!", null, 0, 403, "malformed call token"),
                Arguments.of("GET", "/pinhole/media", BEARER, null, 5, 400,
                        "GET with a body (media goes in a POST body or the pinhole-media cookie)"));
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {5} {6}")
    @MethodSource("table")
    void decidesFromTheRequestAlone(String method, String uri, String authorization, String cookie, int body,
                                    int status, String what) {
        HttpMediaRequest r = HttpMediaRequest.of(method, uri, authorization, cookie, body);
        assertThat(r.status()).isEqualTo(status);
        if (status != 0) {
            assertThat(r.reason()).isEqualTo(what);
            assertThat(r.accepted()).isFalse();
            return;
        }
        assertThat(r.token()).isEqualTo(TOKEN);
        assertThat(r.poll()).isEqualTo("poll".equals(what));
        assertThat(r.cookie()).isEqualTo("cookie".equals(what) ? "AAQAAQID" : null);
    }
}
