package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.Api;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.flag.FlagJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Token management through the API and psql, and how fast a change reaches another instance:
 * two APIs on one PostgreSQL, a token created or revoked on one (or in SQL) must be honoured by
 * the other (contract section 7 says within 1 s: the figures are printed, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokensIT {

    private static final String ADMIN = "Bearer " + ApiFixture.ADMIN_TOKEN;
    private static final int ROUNDS = 10;

    private ApiFixture fixture;
    private Api second;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        // Polling a revoked token counts as failed authentications; this test is about propagation.
        fixture = new ApiFixture(Map.of("READ_ACCESS", "token", "RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "1000000"));
        second = TestTokens.secondApi(fixture, Map.of());
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('tokens-it', 'f', true)");
    }

    @AfterAll
    void stop() {
        second.close();
        fixture.close();
    }

    private JsonNode json(HttpResponse<String> response) {
        return FlagJson.readTree(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpResponse<String> create(String body) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/tokens")).POST(HttpRequest.BodyPublishers.ofString(body)),
                "Authorization", ADMIN, "Content-Type", "application/json");
    }

    private int readOnSecond(String secret) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port()
                                    + "/api/v1/environments/tokens-it/flags"))
                            .header("Authorization", secret).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void createShowsTheSecretOnceAndListShowsNoSecretOrHash() {
        HttpResponse<String> created = create("{\"name\":\"ci\",\"type\":\"server\",\"environments\":[\"tokens-it\"]}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode token = json(created);
        String secret = token.get("secret").asText();
        assertThat(secret).matches("server:tokens-it\\.[A-Za-z0-9_-]{43}");
        assertThat(token.get("type").asText()).isEqualTo("server");
        assertThat(token.get("environments").toString()).isEqualTo("[\"tokens-it\"]");
        HttpResponse<String> list = fixture.get("/api/v1/tokens", "Authorization", ADMIN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(token.get("id").asText()).doesNotContain(secret)
                .doesNotContain(secret.substring(secret.indexOf('.') + 1)).doesNotContainIgnoringCase("hash");
    }

    @Test
    void refusesBadRequestsAndNonAdmins() {
        assertThat(create("{\"name\":\"x\",\"type\":\"root\",\"environments\":[\"*\"]}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x\",\"type\":\"server\",\"environments\":[\"*\",\"prod\"]}").body()).contains("environments");
        assertThat(create("{\"name\":\"x\",\"type\":\"server\",\"environments\":[]}").statusCode()).isEqualTo(400);
        assertThat(create("{\"name\":\"x\",\"type\":\"server\",\"environments\":[\"*\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
                .body()).contains("expiresAt");
        assertThat(create("{\"name\":\"x\",\"type\":\"server\",\"environments\":[\"*\"],\"secret\":\"mine\"}").body())
                .contains("unknown field");
        String server = TestTokens.create(fixture, "not-admin", "server", "*");
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.get("/api/v1/tokens", "Authorization", server).statusCode() == 403);
        HttpResponse<String> asServer = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "Authorization", server);
        assertThat(asServer.statusCode()).isEqualTo(403);
        assertThat(asServer.body()).contains("needs an admin token");
        assertThat(fixture.get("/api/v1/tokens").statusCode()).isEqualTo(401);
        assertThat(fixture.delete("/api/v1/tokens/00000000-0000-0000-0000-000000000000", "Authorization", ADMIN).statusCode())
                .isEqualTo(404);
        assertThat(fixture.delete("/api/v1/tokens/not-a-uuid", "Authorization", ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void expiredTokensAreRefused() {
        String secret = json(create("{\"name\":\"short\",\"type\":\"server\",\"environments\":[\"*\"],\"expiresAt\":\""
                + java.time.Instant.now().plusSeconds(2) + "\"}")).get("secret").asText();
        await().atMost(Duration.ofSeconds(2)).until(() -> readOnSecond(secret) == 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> readOnSecond(secret) == 401);
    }

    /** Created through the API of one instance, then revoked there: both take effect on the other (times printed). */
    @Test
    void apiChangesReachTheSecondInstance() {
        List<Long> created = new ArrayList<>();
        List<Long> revoked = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            JsonNode token = json(create("{\"name\":\"rotation-" + round + "\",\"type\":\"server\",\"environments\":[\"*\"]}"));
            String secret = token.get("secret").asText();
            created.add(timeUntil(start, () -> readOnSecond(secret) == 200));

            start = System.nanoTime();
            assertThat(fixture.delete("/api/v1/tokens/" + token.get("id").asText(), "Authorization", ADMIN).statusCode()).isEqualTo(204);
            revoked.add(timeUntil(start, () -> readOnSecond(secret) == 401));
        }
        report("API create -> accepted on instance 2", created);
        report("API revoke -> refused on instance 2", revoked);
    }

    /**
     * A token is good on every instance from its first request: an instance that does not know a
     * token checks PostgreSQL before refusing it (a 401 stops Unleash's Node SDK for good), so an
     * SDK started right after its token was created, on another instance or in SQL, is not refused.
     */
    @Test
    void aNewTokenIsAcceptedByTheOtherInstancesFirstRequest() {
        for (int round = 0; round < ROUNDS; round++) {
            String viaApi = json(create("{\"name\":\"first-" + round + "\",\"type\":\"server\",\"environments\":[\"*\"]}"))
                    .get("secret").asText();
            assertThat(readOnSecond(viaApi)).as("first request with a token created through instance 1, round " + round)
                    .isEqualTo(200);
            String viaSql = TestTokens.create(fixture, "first-sql-" + round, "server", "tokens-it");
            assertThat(readOnSecond(viaSql)).as("first request with a token created in SQL, round " + round).isEqualTo(200);
        }
    }

    /** Created and revoked in SQL, as an operator would in psql: the API learns of both without a call. */
    @Test
    void sqlChangesReachBothInstances() {
        List<Long> created = new ArrayList<>();
        List<Long> revoked = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            String secret = TestTokens.create(fixture, "psql-" + round, "server", "tokens-it");
            created.add(timeUntil(start, () -> readOnSecond(secret) == 200));

            start = System.nanoTime();
            fixture.sql("UPDATE api_tokens SET revoked_at = now() WHERE name = 'psql-" + round + "'");
            revoked.add(timeUntil(start, () -> readOnSecond(secret) == 401
                    && fixture.get("/api/v1/environments/tokens-it/flags", "Authorization", secret).statusCode() == 401));
        }
        report("SQL create -> accepted on instance 2", created);
        report("SQL revoke -> refused on both instances", revoked);
    }

    private static long timeUntil(long startNanos, java.util.concurrent.Callable<Boolean> condition) {
        // How fast is the printed figure; the bound only keeps a lost token change from hanging the test.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO).until(condition);
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void report(String what, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        LongSupplier median = () -> sorted.get(sorted.size() / 2);
        System.out.printf("token propagation, %s: %d rounds, p50 %d ms, max %d ms, all %s (load average %s)%n",
                what, sorted.size(), median.getAsLong(), sorted.getLast(), millis, loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
