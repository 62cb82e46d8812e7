package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.Api;
import dev.flagsync.api.ApiFixture;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rate limits on a running API: per token, per address without a token, per address for failed
 * authentications; 429 with Retry-After (OFREP's shape on OFREP paths), streams counted, metrics.
 * Each test uses its own API instance on the shared stores, so budgets do not leak between tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

    private static final Map<String, String> TIGHT = Map.of(
            "RATE_LIMIT_TOKEN_PER_SECOND", "1", "RATE_LIMIT_TOKEN_BURST", "3",
            "RATE_LIMIT_ANONYMOUS_PER_SECOND", "1", "RATE_LIMIT_ANONYMOUS_BURST", "3",
            "RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "3");

    private ApiFixture fixture;
    private String server;
    private final List<Api> apis = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of());
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('limits', 'f', true)");
        server = TestTokens.create(fixture, "limited", "server", "*");
    }

    @AfterAll
    void stop() {
        apis.forEach(Api::close);
        fixture.close();
    }

    private Api api(Map<String, String> overrides) {
        Api api = TestTokens.secondApi(fixture, overrides);
        apis.add(api);
        // Until its first load from PostgreSQL an instance cannot tell a wrong token (503, not 401);
        // a 403 for the server token on an admin path says the load is done. It costs one request
        // of that token's budget.
        await().atMost(Duration.ofSeconds(5)).until(() -> send(api, get(api, "/api/v1/tokens")
                .header("Authorization", server)).statusCode() == 403);
        return api;
    }

    private Api tight(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(TIGHT);
        env.putAll(more);
        return api(env);
    }

    private static HttpRequest.Builder get(Api api, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).timeout(Duration.ofSeconds(5));
    }

    private HttpResponse<String> send(Api api, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Integer> statuses(Api api, int count, String path, String... headers) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest.Builder request = get(api, path);
            if (headers.length > 0) {
                request.headers(headers);
            }
            statuses.add(send(api, request).statusCode());
        }
        return statuses;
    }

    @Test
    void tokenOverItsBudgetGets429WithRetryAfter() {
        Api api = tight(Map.of("READ_ACCESS", "token"));

        List<Integer> burst = statuses(api, 6, "/api/v1/environments/limits/flags", "Authorization", server);
        HttpResponse<String> limited = send(api, get(api, "/api/v1/environments/limits/flags").header("Authorization", server));

        assertThat(burst).contains(429);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("\"error\":\"rate_limited\"");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        // Other clients keep their own budgets.
        assertThat(send(api, get(api, "/api/v1/environments/limits/flags").header("Authorization", "Bearer "
                + ApiFixture.ADMIN_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send(api, get(api, "/metrics")).body()).containsPattern("flagsync_rate_limited_total\\{limit=\"token\"} [1-9]");
        System.out.println("rate limit: token budget 1/s burst 3 (1 spent at start), 7 requests in a row: " + burst + " then "
                + limited.statusCode() + " Retry-After " + limited.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void ofrepPathsAnswerInOfrepShape() {
        Api api = tight(Map.of());
        HttpResponse<String> last = null;
        for (int i = 0; i < 5; i++) {
            last = send(api, get(api, "/ofrep/v1/evaluate/flags").header("X-Flag-Environment", "limits")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{}}")));
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.body()).startsWith("{\"errorDetails\":\"too many requests");
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void streamConnectionAttemptsCount() throws Exception {
        Api api = tight(Map.of());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<InputStream> response = http.send(get(api, "/api/v1/environments/limits/flags/stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            statuses.add(response.statusCode());
            response.body().close();
        }
        assertThat(statuses).startsWith(200).endsWith(429);
    }

    @Test
    void guessingTokensIsSlowAndThenEvenAGoodTokenWaits() {
        Api api = tight(Map.of("READ_ACCESS", "token", "RATE_LIMIT_ANONYMOUS_BURST", "100"));
        List<Integer> guesses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            guesses.add(send(api, get(api, "/api/v1/environments/limits/flags").header("Authorization", "server:*.guess" + i))
                    .statusCode());
        }
        HttpResponse<String> good = send(api, get(api, "/api/v1/environments/limits/flags").header("Authorization", server));

        assertThat(guesses).containsExactly(401, 401, 401, 429, 429);
        assertThat(good.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(good.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(send(api, get(api, "/metrics")).body()).containsPattern("flagsync_rate_limited_total\\{limit=\"auth_failure\"} [1-9]");
        System.out.println("rate limit: 3 failed authentications per minute per address, 5 guesses: " + guesses
                + ", then a valid token: " + good.statusCode());
    }

    @Test
    void forwardedForCountsOnlyFromTrustedProxies() {
        Api untrusting = tight(Map.of());
        List<Integer> spoofed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            spoofed.add(send(untrusting, get(untrusting, "/api/v1/environments/limits/flags")
                    .header("X-Forwarded-For", "198.51.100." + i)).statusCode());
        }
        assertThat(spoofed).endsWith(429);

        Api behindProxy = tight(Map.of("TRUSTED_PROXIES", "127.0.0.1"));
        List<Integer> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(send(behindProxy, get(behindProxy, "/api/v1/environments/limits/flags")
                    .header("X-Forwarded-For", "198.51.100." + i)).statusCode());
        }
        assertThat(clients).containsOnly(200);
        List<Integer> oneClient = statuses(behindProxy, 5, "/api/v1/environments/limits/flags", "X-Forwarded-For", "203.0.113.1");
        assertThat(oneClient).endsWith(429);
    }

    @Test
    void probesAreNeverLimited() {
        Api api = tight(Map.of());
        assertThat(statuses(api, 10, "/health/ready")).containsOnly(200);
        assertThat(statuses(api, 10, "/metrics")).containsOnly(200);
    }
}
