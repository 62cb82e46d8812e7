package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.localstack.HeadlessChromium;
import dev.flagsync.localstack.LoadAverage;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser SDK {@code unleash-proxy-client} 3.8.2, unchanged, in headless Chromium on another
 * origin, against flagsync's {@code /api/frontend} on the whole stack (bin/run-local): the toggles
 * for a user; an update after a SQL change, seen by the SDK's own polling (every second here; its
 * default is 30 s), with the commit-to-seen time printed; and a context change
 * ({@code updateContext}) answered with the new user's toggles although the SDK sends the old
 * user's ETag. The page's fetch is watched, so the test also sees the 304s that prove the ETag
 * header crosses origins (CORS exposes it).
 */
class UnleashProxyClientIT {

    private static final String ENV = "sdk-frontend-proxy-client";
    private static final String ALICE = "/api/frontend?userId=alice&properties%5Bcountry%5D=NO";
    private static final String PAGE = """
            <!doctype html><html><body><script src="/dist/unleash-proxy.js"></script></body></html>""";

    @RegisterExtension
    static SdkStack stack = SdkStack.shared();

    private static final int FLIPS = 6;
    /**
     * The SDK's refreshInterval: short, to measure many changes quickly, but well above what an
     * answer can take on a loaded machine, since the SDK aborts a fetch still in flight when the
     * next poll starts. At 200 ms, one run at load 25 saw no update within 10 s of a change (cause
     * not established; a likely one is every poll aborted by the next). The page now reports such
     * aborts ("fetch-failed"), and a timeout says which versions PostgreSQL and the API are at.
     */
    private static final double REFRESH_SECONDS = 1;

    private static String token;
    /** The test's own reads: a token of their own, so they never spend the page's rate-limit budget. */
    private static String testToken;

    @BeforeAll
    static void flags() {
        stack.sql("""
                INSERT INTO feature_flags (environment, flag_key, enabled, strategies, variants) VALUES
                ('%1$s', 'fe-beta', true, '[{"name":"userWithId","parameters":{"userIds":"alice"}}]', null),
                ('%1$s', 'fe-nordic', true, '[{"name":"default","parameters":{},"constraints":
                    [{"contextName":"country","operator":"IN","values":["NO"]}]}]', null),
                ('%1$s', 'fe-banner', true, '[]', '[{"name":"blue","weight":1,"payload":{"type":"string","value":"b"},
                    "overrides":[{"contextName":"userId","values":["alice"]}]},
                    {"name":"red","weight":0,"overrides":[{"contextName":"userId","values":["bob"]}]}]'),
                ('%1$s', 'fe-moving', false, '[]', null),
                ('%1$s', 'fe-flip', false, '[]', null),
                ('%1$s', 'fe-dark', false, '[]', null)""".formatted(ENV));
        token = stack.createToken("frontend", ENV);
        testToken = stack.createToken("frontend", ENV);
        await("alice's toggles from the API").atMost(Duration.ofSeconds(30)).until(() ->
                stack.http("GET", ALICE, token, null).body().contains("fe-beta"));
    }

    private static List<JsonNode> reports() {
        List<JsonNode> reports = new ArrayList<>();
        stack.pages().reports().forEach(report -> reports.add(SdkStack.read(report)));
        return reports;
    }

    private static JsonNode awaitReport(String what, Predicate<JsonNode> match, Duration atMost) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> find(match).isPresent());
        } catch (ConditionTimeoutException e) {
            // Say whether the API or the SDK is behind: the API's own answer now, and the page's last reports.
            List<String> all = stack.pages().reports();
            HttpResponse<String> raw = stack.http("GET", "/api/v1/environments/" + ENV + "/flags", stack.adminToken(), null);
            throw new AssertionError(what + ": not reported within " + atMost + ". PostgreSQL is at version "
                    + databaseVersion() + ", the API serves version " + SdkStack.read(raw.body()).path("version")
                    + " (X-Flag-Source " + raw.headers().firstValue("X-Flag-Source").orElse("?") + ") and answers alice "
                    + stack.http("GET", ALICE, token, null).body()
                    + "; the page's last reports (" + all.size() + " in all): " + all.subList(Math.max(0, all.size() - 8), all.size()), e);
        }
        return find(match).orElseThrow();
    }

    private static long databaseVersion() {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), "flagsync", "flagsync");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT version FROM flag_environment_versions WHERE environment = ?")) {
            query.setString(1, ENV);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the environment's version", e);
        }
    }

    private static Optional<JsonNode> find(Predicate<JsonNode> match) {
        return reports().stream().filter(match).findFirst();
    }

    private static Predicate<JsonNode> event(String name) {
        return report -> report.path("event").asText().equals(name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    /** Commit to the API's own answer for alice, and commit to the SDK's update event, in ms. */
    private record Seen(long api, long sdk) {
    }

    /**
     * Commits {@code statement}, then waits for the API's answer for alice (asked directly every
     * 10 ms) and for the SDK's first update after the commit whose toggles pass {@code seen}. The
     * update is stamped with the page's Date.now(), the same machine's clock as the test's.
     */
    private static Seen commitToUpdate(String statement, Predicate<List<String>> seen) {
        stack.sql(statement);
        long committed = System.currentTimeMillis();
        AtomicLong answered = new AtomicLong();
        await("the API's answer after " + statement).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    JsonNode toggles = SdkStack.read(stack.http("GET", ALICE, testToken, null).body()).path("toggles");
                    List<String> names = new ArrayList<>();
                    toggles.forEach(toggle -> names.add(toggle.path("name").asText()));
                    boolean changed = seen.test(names);
                    if (changed) {
                        answered.set(System.currentTimeMillis());
                    }
                    return changed;
                });
        JsonNode update = awaitReport("alice's update after " + statement, r -> event("update").test(r)
                && r.path("user").asText().equals("alice") && r.path("at").asLong() >= committed
                && seen.test(texts(r.path("toggles"))), Duration.ofSeconds(10));
        return new Seen(answered.get() - committed, update.path("at").asLong() - committed);
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return "median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.getLast() + " ms, all " + millis;
    }

    private static String page(String query) {
        return stack.pages().html("/unleash-proxy.html", PAGE) + "?api=" + stack.apiUrl() + "&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&names=fe-beta,fe-banner,fe-moving" + query;
    }

    @Test
    void togglesForAUserThenASqlChangeThenAContextChange() {
        stack.pages().clearReports();
        String url = page("&user=alice&country=NO&refreshSeconds=" + REFRESH_SECONDS + "&waitFor=fe-moving&nextUser=bob");
        try (HeadlessChromium browser = HeadlessChromium.open(url)) {
            JsonNode ready = awaitReport("the SDK's ready event", event("ready"), Duration.ofSeconds(60));
            assertThat(texts(ready.path("toggles"))).as("alice's toggles, %s", ready)
                    .containsExactly("fe-banner", "fe-beta", "fe-nordic");
            assertThat(ready.path("enabled").path("fe-beta").asBoolean()).isTrue();
            assertThat(ready.path("variants").path("fe-banner").asText()).isEqualTo("blue");

            // The SDK re-sent the ETag it read cross-origin and got 304: CORS exposes ETag.
            awaitReport("a 304 to the SDK's If-None-Match", r -> event("fetch").test(r) && r.path("status").asInt() == 304,
                    Duration.ofSeconds(10));

            // SQL changes, each seen by the SDK's polling: turn fe-flip on and off, then fe-moving on.
            List<Seen> millis = new ArrayList<>();
            for (int change = 1; change <= FLIPS; change++) {
                boolean on = change % 2 == 1;
                millis.add(commitToUpdate("UPDATE feature_flags SET enabled = " + on + " WHERE environment = '" + ENV
                        + "' AND flag_key = 'fe-flip'", toggles -> toggles.contains("fe-flip") == on));
            }
            millis.add(commitToUpdate("UPDATE feature_flags SET enabled = true WHERE environment = '" + ENV
                    + "' AND flag_key = 'fe-moving'", toggles -> toggles.contains("fe-moving")));
            // Each change is committed just after the SDK's previous update, so right after one of its
            // polls: the SDK's figure is close to the worst case, the pipeline plus a whole interval.
            System.out.printf("UnleashProxyClientIT: %d SQL commits; to the API's frontend answer: %s; to"
                    + " unleash-proxy-client's update event (polling every %.0f ms): %s (load %s)%n", millis.size(),
                    summary(millis.stream().map(Seen::api).toList()), REFRESH_SECONDS * 1000,
                    summary(millis.stream().map(Seen::sdk).toList()), LoadAverage.now());
            JsonNode changed = find(r -> event("update").test(r) && texts(r.path("toggles")).contains("fe-moving")).orElseThrow();
            assertThat(texts(changed.path("toggles"))).containsExactly("fe-banner", "fe-beta", "fe-moving", "fe-nordic");

            // The page switched to bob (updateContext); the SDK sent alice's last ETag with bob's query.
            JsonNode bob = awaitReport("bob's toggles", r -> event("update").test(r) && r.path("user").asText().equals("bob"),
                    Duration.ofSeconds(10));
            assertThat(texts(bob.path("toggles"))).as("bob's toggles, %s", bob).containsExactly("fe-banner", "fe-moving", "fe-nordic");
            assertThat(bob.path("enabled").path("fe-beta").asBoolean()).isFalse();
            assertThat(bob.path("variants").path("fe-banner").asText()).isEqualTo("red");
            JsonNode aliceLast = reports().stream().filter(r -> event("fetch").test(r) && r.path("status").asInt() == 200
                    && r.path("url").asText().contains("userId=alice")).reduce((first, second) -> second).orElseThrow();
            JsonNode bobFirst = awaitReport("bob's first fetch", r -> event("fetch").test(r)
                    && r.path("url").asText().contains("userId=bob"), Duration.ofSeconds(5));
            assertThat(bobFirst.path("sentEtag").asText()).as("bob's first fetch %s", bobFirst)
                    .isEqualTo(aliceLast.path("etag").asText()).isNotEmpty();
            assertThat(bobFirst.path("status").asInt()).isEqualTo(200);

            // Metrics posts pass CORS too (the SDK ignores their status; a CORS refusal would be an error event).
            awaitReport("a metrics post", r -> event("metrics").test(r), Duration.ofSeconds(10));
            assertThat(find(r -> event("metrics").test(r)).orElseThrow().path("status").asInt()).isEqualTo(202);
            assertThat(find(event("error"))).as("SDK errors").isEmpty();
        }
    }

    @Test
    void postRequestsCarryTheContextAndAreAnswered304WhileUnchanged() {
        stack.pages().clearReports();
        try (HeadlessChromium browser = HeadlessChromium.open(page("&user=alice&country=SE&refreshSeconds=" + REFRESH_SECONDS + "&post=true"))) {
            JsonNode ready = awaitReport("the SDK's ready event (POST)", event("ready"), Duration.ofSeconds(60));
            assertThat(texts(ready.path("toggles"))).as("alice in SE, %s", ready).contains("fe-banner", "fe-beta")
                    .doesNotContain("fe-nordic", "fe-dark");
            JsonNode notModified = awaitReport("a 304 to a POST", r -> event("fetch").test(r) && r.path("status").asInt() == 304,
                    Duration.ofSeconds(10));
            assertThat(notModified.path("method").asText()).isEqualTo("POST");
            assertThat(find(event("error"))).as("SDK errors").isEmpty();
        }
    }
}
