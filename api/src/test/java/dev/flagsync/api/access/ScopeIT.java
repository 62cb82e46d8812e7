package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** READ_ACCESS=token: who reads what, per token type and environment (200 / 401 / 403), on real stores. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeIT {

    private static final String READ_TOKEN = "bootstrap-read-token-0123456789";
    private static final String FLAGS = "/api/v1/environments/%s/flags";
    private static final String OFREP = "/ofrep/v1/evaluate/flags/f";

    private ApiFixture fixture;
    private String server;
    private String frontend;
    private String frontendTwoEnvironments;
    private String admin;
    private final HttpClient streams = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of("READ_TOKENS", READ_TOKEN, "DEFAULT_ENVIRONMENT", "scope-default"));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES "
                + "('scope-a', 'f', true), ('scope-b', 'f', true), ('scope-default', 'f', false)");
        server = TestTokens.create(fixture, "backend", "server", "scope-a");
        frontend = TestTokens.create(fixture, "web", "frontend", "scope-a");
        frontendTwoEnvironments = TestTokens.create(fixture, "web-both", "frontend", "scope-a", "scope-default");
        admin = TestTokens.create(fixture, "ops", "admin", "scope-a");
        await().atMost(Duration.ofSeconds(5)).until(() -> get("scope-a", "Authorization", server).statusCode() == 200);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> get(String environment, String... headers) {
        return fixture.get(FLAGS.formatted(environment), headers);
    }

    private HttpResponse<String> ofrep(String... headers) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri(OFREP))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"u\"}}")), headers);
    }

    private int stream(String query, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(FLAGS.formatted("scope-a") + "/stream" + query));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<InputStream> response = streams.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    @Test
    void withoutATokenEveryReadIs401() throws Exception {
        HttpResponse<String> flags = get("scope-a");
        assertThat(flags.statusCode()).isEqualTo(401);
        assertThat(flags.body()).contains("\"error\":\"unauthorized\"");
        assertThat(flags.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(ofrep().statusCode()).isEqualTo(401);
        assertThat(ofrep().body()).contains("errorDetails");
        assertThat(stream("")).isEqualTo(401);
    }

    @Test
    void serverTokenReadsItsEnvironmentOnlyInEveryHeaderForm() throws Exception {
        assertThat(get("scope-a", "Authorization", "Bearer " + server).statusCode()).isEqualTo(200);
        assertThat(get("scope-a", "Authorization", server).statusCode()).isEqualTo(200);
        assertThat(get("scope-a", "X-API-Key", server).statusCode()).isEqualTo(200);
        assertThat(fixture.get(FLAGS.formatted("scope-a") + "/f", "Authorization", server).statusCode()).isEqualTo(200);
        assertThat(stream("", "Authorization", server)).isEqualTo(200);
        assertThat(ofrep("Authorization", server, "X-Flag-Environment", "scope-a").statusCode()).isEqualTo(200);

        HttpResponse<String> other = get("scope-b", "Authorization", server);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("\"error\":\"forbidden\"").contains("scope-b");
    }

    @Test
    void frontendTokenGetsEvaluationsOfItsEnvironmentOnly() throws Exception {
        HttpResponse<String> evaluated = ofrep("Authorization", frontend);
        assertThat(evaluated.statusCode()).isEqualTo(200);
        assertThat(evaluated.body()).contains("\"environment\":\"scope-a\"").contains("\"value\":true");
        assertThat(ofrep("X-API-Key", frontend, "X-Flag-Environment", "scope-a").statusCode()).isEqualTo(200);

        HttpResponse<String> otherEnvironment = ofrep("Authorization", frontend, "X-Flag-Environment", "scope-b");
        assertThat(otherEnvironment.statusCode()).isEqualTo(403);
        assertThat(otherEnvironment.body()).startsWith("{\"errorDetails\":").contains("scope-b");

        HttpResponse<String> raw = get("scope-a", "Authorization", frontend);
        assertThat(raw.statusCode()).isEqualTo(403);
        assertThat(raw.body()).contains("evaluated answers only");
        assertThat(stream("", "Authorization", frontend)).isEqualTo(403);
    }

    @Test
    void ofrepWithSeveralEnvironmentsAndNoHeaderUsesTheDefault() {
        HttpResponse<String> response = ofrep("Authorization", frontendTwoEnvironments);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"environment\":\"scope-default\"");
    }

    @Test
    void browsersOpenTheStreamWithTheTokenAsQueryParameter() throws Exception {
        assertThat(stream("?access_token=" + server)).isEqualTo(200);
        assertThat(stream("?access_token=wrong")).isEqualTo(401);
        assertThat(stream("?access_token=" + frontend)).isEqualTo(403);
        // Only the stream takes it: a URL token elsewhere is no credential.
        assertThat(fixture.get(FLAGS.formatted("scope-a") + "?access_token=" + server).statusCode()).isEqualTo(401);
    }

    @Test
    void readTokensAreServerTokensForEveryEnvironment() {
        assertThat(get("scope-b", "Authorization", "Bearer " + READ_TOKEN).statusCode()).isEqualTo(200);
        assertThat(fixture.put(FLAGS.formatted("scope-b") + "/f", "{}", "Authorization", "Bearer " + READ_TOKEN).statusCode())
                .isEqualTo(403);
    }

    @Test
    void onlyAdminTokensWriteAndOnlyInTheirEnvironments() {
        assertThat(fixture.put(FLAGS.formatted("scope-a") + "/w", "{}", "Authorization", server).statusCode()).isEqualTo(403);
        assertThat(fixture.put(FLAGS.formatted("scope-a") + "/w", "{}", "Authorization", frontend).statusCode()).isEqualTo(403);
        assertThat(fixture.put(FLAGS.formatted("scope-a") + "/w", "{}", "Authorization", admin).statusCode()).isEqualTo(200);
        HttpResponse<String> elsewhere = fixture.put(FLAGS.formatted("scope-b") + "/w", "{}", "Authorization", admin);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("scope-b");
        assertThat(get("scope-a", "Authorization", admin).statusCode()).isEqualTo(200);
        assertThat(fixture.get("/api/v1/tokens", "Authorization", admin).statusCode()).isEqualTo(403);
    }

    @Test
    void revokedTokensStopWorking() {
        String doomed = TestTokens.create(fixture, "doomed", "server", "scope-a");
        await().atMost(Duration.ofSeconds(2)).until(() -> get("scope-a", "Authorization", doomed).statusCode() == 200);
        fixture.sql("UPDATE api_tokens SET revoked_at = now() WHERE name = 'doomed'");
        await().atMost(Duration.ofSeconds(2)).until(() -> get("scope-a", "Authorization", doomed).statusCode() == 401);
    }
}
