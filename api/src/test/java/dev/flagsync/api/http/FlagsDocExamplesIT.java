package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.flag.FlagJson;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/flags.md work as written: its {@code sql} blocks run in one environment,
 * its {@code curl} calls against the admin API in another, and both environments then hold the
 * same rules and give the OFREP answers the document describes. Reads this file's text, so an
 * edited example is tested as edited.
 */
class FlagsDocExamplesIT {

    private static final Path DOC = Path.of("..", "docs", "flags.md");
    private static final Pattern BLOCK = Pattern.compile("```(sql|sh)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CURL = Pattern.compile(
            "curl -X PUT \"\\$FLAGSYNC(/api/v1/environments/production/[^\"]+)\".*?-d '([^']*)'", Pattern.DOTALL);
    private static final String SQL_ENV = "docs-psql";
    private static final String API_ENV = "docs-admin";
    private static final String AUTH = "Bearer " + ApiFixture.ADMIN_TOKEN;

    private static ApiFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        // The rollout and A/B checks send about 1,600 anonymous OFREP requests from one address:
        // the per-address budget (tested elsewhere) would refuse most of them.
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "0", "RATE_LIMIT_ANONYMOUS_PER_SECOND", "0"));
        String doc = Files.readString(DOC);
        int sqlBlocks = 0;
        int calls = 0;
        Matcher block = BLOCK.matcher(doc.substring(doc.indexOf("## Examples"), doc.indexOf("## Evaluation and reasons")));
        while (block.find()) {
            if (block.group(1).equals("sql")) {
                fixture.sql(block.group(2).replace("'production'", "'" + SQL_ENV + "'"));
                sqlBlocks++;
                continue;
            }
            Matcher curl = CURL.matcher(block.group(2));
            while (curl.find()) {
                String path = curl.group(1).replace("/production/", "/" + API_ENV + "/");
                HttpResponse<String> response = fixture.put(path, curl.group(2), "Authorization", AUTH);
                assertThat(response.statusCode()).as("PUT %s: %s", path, response.body()).isEqualTo(200);
                calls++;
            }
        }
        assertThat(sqlBlocks).as("sql blocks in the examples").isEqualTo(6);
        assertThat(calls).as("admin API calls in the examples").isEqualTo(7);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void psqlAndAdminApiStoreTheSameRules() {
        JsonNode sql = snapshot(SQL_ENV);
        JsonNode api = snapshot(API_ENV);
        assertThat(sql.get("segments")).isEqualTo(api.get("segments")).hasSize(1);
        assertThat(rules(sql)).isEqualTo(rules(api)).hasSize(6);
    }

    @Test
    void percentageRolloutSplitsAQuarterOfTheUsers() {
        for (String env : List.of(SQL_ENV, API_ENV)) {
            List<JsonNode> answers = IntStream.range(0, 400)
                    .mapToObj(i -> ofrep(env, "new-checkout", "{\"targetingKey\":\"user-" + i + "\"}")).toList();
            long on = answers.stream().filter(answer -> answer.get("value").booleanValue()).count();
            assertThat(on).as(env).isBetween(70L, 130L);
            assertThat(answers).allSatisfy(answer -> assertThat(answer.get("reason").textValue()).isEqualTo("SPLIT"));
        }
    }

    @Test
    void betaListIsOnForNamedUsersAndInternalAddresses() {
        for (String env : List.of(SQL_ENV, API_ENV)) {
            assertThat(value(env, "beta-dashboard", "{\"targetingKey\":\"alice\"}").booleanValue()).isTrue();
            assertThat(value(env, "beta-dashboard", "{\"targetingKey\":\"42\"}").booleanValue()).isTrue();
            assertThat(value(env, "beta-dashboard", "{\"targetingKey\":\"carol\"}").booleanValue()).isFalse();
            assertThat(value(env, "beta-dashboard", "{\"targetingKey\":\"carol\",\"remoteAddress\":\"10.1.2.3\"}").booleanValue())
                    .isTrue();
        }
    }

    @Test
    void countryTargetingNeedsTheCountryAndTheVersion() {
        for (String env : List.of(SQL_ENV, API_ENV)) {
            assertThat(value(env, "nordic-pricing", "{\"targetingKey\":\"u\",\"country\":\"NO\",\"appVersion\":\"2.1.0\"}")
                    .booleanValue()).isTrue();
            assertThat(value(env, "nordic-pricing", "{\"targetingKey\":\"u\",\"country\":\"SE\",\"appVersion\":\"3.0.0\"}")
                    .booleanValue()).isTrue();
            assertThat(value(env, "nordic-pricing", "{\"targetingKey\":\"u\",\"country\":\"NO\",\"appVersion\":\"2.0.9\"}")
                    .booleanValue()).isFalse();
            assertThat(value(env, "nordic-pricing", "{\"targetingKey\":\"u\",\"country\":\"DK\",\"appVersion\":\"2.1.0\"}")
                    .booleanValue()).isFalse();
        }
    }

    @Test
    void abTestAnswersVariantsWithTheirPayloadsAndQaAlwaysGetsBlue() {
        for (String env : List.of(SQL_ENV, API_ENV)) {
            JsonNode qa = ofrep(env, "checkout-button", "{\"targetingKey\":\"qa-1\"}");
            assertThat(qa.get("variant").textValue()).isEqualTo("blue");
            assertThat(qa.get("value").get("color").textValue()).isEqualTo("#0057b8");
            assertThat(qa.get("reason").textValue()).isEqualTo("TARGETING_MATCH");
            List<String> variants = IntStream.range(0, 200)
                    .mapToObj(i -> ofrep(env, "checkout-button", "{\"targetingKey\":\"user-" + i + "\"}").get("variant").textValue())
                    .toList();
            assertThat(variants).contains("blue", "green").containsOnly("blue", "green");
            JsonNode green = ofrep(env, "checkout-button", "{\"targetingKey\":\"user-" + variants.indexOf("green") + "\"}");
            assertThat(green.get("value").get("color").textValue()).isEqualTo("#2e7d32");
            assertThat(green.get("reason").textValue()).isEqualTo("SPLIT");
        }
    }

    @Test
    void segmentDecidesTheFlagThatNamesIt() {
        for (String env : List.of(SQL_ENV, API_ENV)) {
            JsonNode enterprise = ofrep(env, "audit-log-export",
                    "{\"targetingKey\":\"u\",\"plan\":\"enterprise\",\"email\":\"Ann@EXAMPLE.com\"}");
            assertThat(enterprise.get("value").booleanValue()).isTrue();
            assertThat(enterprise.get("reason").textValue()).isEqualTo("TARGETING_MATCH");
            assertThat(value(env, "audit-log-export", "{\"targetingKey\":\"u\",\"plan\":\"pro\",\"email\":\"ann@example.com\"}")
                    .booleanValue()).isFalse();
            assertThat(value(env, "audit-log-export", "{\"targetingKey\":\"u\",\"plan\":\"enterprise\",\"email\":\"ann@mail.test\"}")
                    .booleanValue()).isFalse();
        }
    }

    @Test
    void dependentFlagFollowsItsParentsVariant() {
        for (String env : List.of(SQL_ENV, API_ENV)) {
            assertThat(value(env, "checkout-upsell", "{\"targetingKey\":\"qa-1\"}").booleanValue()).isTrue();
            String greenUser = IntStream.range(0, 200).mapToObj(i -> "user-" + i)
                    .filter(user -> ofrep(env, "checkout-button", "{\"targetingKey\":\"" + user + "\"}").get("variant").textValue()
                            .equals("green"))
                    .findFirst().orElseThrow();
            assertThat(value(env, "checkout-upsell", "{\"targetingKey\":\"" + greenUser + "\"}").booleanValue()).isFalse();
        }
    }

    /** Each flag's rules (key, enabled, strategies, variants, dependencies), without versions or timestamps. */
    private static List<JsonNode> rules(JsonNode snapshot) {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode flag : snapshot.get("flags")) {
            rules.add(FlagJson.mapper().createObjectNode().put("key", flag.get("key").textValue())
                    .put("enabled", flag.get("enabled").booleanValue())
                    .setAll(Map.of("strategies", flag.path("strategies"), "variants", flag.path("variants"),
                            "dependencies", flag.path("dependencies"))));
        }
        return rules;
    }

    private static JsonNode snapshot(String env) {
        return json(fixture.get("/api/v1/environments/" + env + "/flags"));
    }

    private static JsonNode value(String env, String key, String context) {
        JsonNode answer = ofrep(env, key, context);
        assertThat(answer.has("value")).as("%s %s %s: %s", env, key, context, answer).isTrue();
        return answer.get("value");
    }

    private static JsonNode ofrep(String env, String key, String context) {
        HttpResponse<String> response = fixture.send(HttpRequest.newBuilder(fixture.uri("/ofrep/v1/evaluate/flags/" + key))
                .POST(HttpRequest.BodyPublishers.ofString("{\"context\":" + context + "}")), "X-Flag-Environment", env);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return FlagJson.readTree(response.body().getBytes(StandardCharsets.UTF_8));
    }
}
