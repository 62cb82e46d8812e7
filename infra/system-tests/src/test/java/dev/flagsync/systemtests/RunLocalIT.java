package dev.flagsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.localstack.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bin/run-local as the README tells a newcomer to use it, on free ports and with its own TMPDIR
 * so it runs beside a user's bin/run-local. One start serves both tests: the README's demo the
 * moment the banner appears, then Ctrl-C, which must leave no process and no folder behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunLocalIT {

    private static final Logger LOG = LoggerFactory.getLogger(RunLocalIT.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BANNER = "flagsync is running";

    private static RunLocal stack;
    private static RunLocal.Line banner;
    private static Readme demo;
    private static Connection database;

    @BeforeAll
    static void startRunLocal() throws IOException, InterruptedException {
        demo = Readme.demo();
        stack = RunLocal.start(List.of(), Map.of(), "run-local");
        // Ready before the banner, as a user's terminal with psql and curl is: the test's own JDBC and
        // HTTP start-up must not count as the stack's delay.
        database = await("PostgreSQL of bin/run-local").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(RunLocalIT::connect, connection -> connection != null);
        warmUpHttpClient();
        banner = stack.awaitLine(line -> line.contains(BANNER), Duration.ofMinutes(5));
        LOG.info("bin/run-local printed its banner {} ms after it was started (load average {})",
                millis(banner.nanos() - stack.startedNanos()), loadAverage());
    }

    @AfterAll
    static void stopRunLocal() throws Exception {
        if (database != null) {
            database.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** The README: curl, psql UPDATE, curl "already changed". Issue 13: run at the banner, served within 1 s. */
    @Test
    @Order(1)
    void readmeDemoChangeIsVisibleAtOnceAfterTheBanner() throws Exception {
        long testStarted = System.nanoTime();
        Map<String, Boolean> before = enabledByKey(get(demo.path()));
        long firstRead = System.nanoTime();
        assertThat(before).isNotEmpty();

        long committed = execute(demo.update());
        AtomicLong seen = new AtomicLong();
        await("the README's UPDATE, read over HTTP").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    Map<String, Boolean> now = enabledByKey(get(demo.path()));
                    boolean flipped = before.keySet().stream().allMatch(key -> !before.get(key).equals(now.get(key)));
                    if (flipped) {
                        seen.set(System.nanoTime());
                    }
                    return flipped;
                });

        long visibleMs = millis(seen.get() - committed);
        long sinceBannerMs = millis(seen.get() - banner.nanos());
        LOG.info("README demo: test began {} ms after the banner, first read took {} ms, UPDATE committed {} ms after"
                + " the banner, visible over HTTP {} ms after the commit, {} ms after the banner (load average {})",
                millis(testStarted - banner.nanos()), millis(firstRead - testStarted), millis(committed - banner.nanos()),
                visibleMs, sinceBannerMs, loadAverage());
        // From the commit, not the banner: the first curl's own time (a cold JVM's first read of an
        // environment) is read latency, not the staleness the banner must rule out.
        assertThat(visibleMs).as("ms from the README's UPDATE, run at the banner, to the changed flags over HTTP"
                + " (%d ms after the banner)", sinceBannerMs).isLessThanOrEqualTo(1_000);
    }

    /** The banner's frontend and server tokens exist, for both demo environments, as the admin API lists them. */
    @Test
    @Order(2)
    void bannerShowsDemoTokensThatTheApiKnows() throws Exception {
        Matcher frontend = Pattern.compile("frontend token +(frontend:\\S+)").matcher(stack.output());
        Matcher server = Pattern.compile("server token +(server:\\S+)").matcher(stack.output());
        assertThat(frontend.find()).as("a frontend token in the banner").isTrue();
        assertThat(server.find()).as("a server token in the banner").isTrue();

        URI uri = URI.create("http://127.0.0.1:" + stack.port("FLAGSYNC_HTTP_PORT") + "/api/v1/tokens");
        HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization",
                "Bearer flagsync-dev-admin-token").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        JSON.readTree(listed.body()).path("tokens").forEach(token -> byName.put(token.path("name").asText(), token));
        assertThat(byName).containsKeys("demo-frontend", "demo-server");
        assertThat(byName.get("demo-frontend").path("type").asText()).isEqualTo("frontend");
        assertThat(byName.get("demo-server").path("environments").toString()).contains("development", "production");
        assertThat(listed.body()).doesNotContain(frontend.group(1)).doesNotContain(server.group(1));
    }

    /** Issue 7: read a flag, change it with SQL, Ctrl-C; nothing may be left running or on disk. */
    @Test
    @Order(3)
    void ctrlCStopsEveryProcessAndLeavesNoFolder() throws Exception {
        String flag = "/api/v1/environments/development/flags/dark-mode";
        assertThat(get(flag).path("rolloutPercentage").asInt()).isEqualTo(100);
        execute("UPDATE feature_flags SET rollout_percentage = 42 WHERE environment = 'development' AND flag_key = 'dark-mode'");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(flag).path("rolloutPercentage").asInt() == 42);

        List<ProcessHandle> started = stack.processes();
        // The script (now the launcher), the API, the worker, Redis and PostgreSQL at least.
        assertThat(started).as("processes of the running stack").hasSizeGreaterThanOrEqualTo(5);
        assertThat(stack.processesMentioningTmp()).as("processes naming the stack's TMPDIR").isNotEmpty();

        database.close();
        stack.interrupt();
        Optional<Integer> status = stack.awaitExit(Duration.ofSeconds(90));

        assertThat(status).as("bin/run-local's exit status after Ctrl-C; output:\n%s", stack.output()).contains(130);
        stack.assertNothingLeft(started);
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + stack.port("FLAGSYNC_HTTP_PORT") + path);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Map<String, Boolean> enabledByKey(JsonNode snapshot) {
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        snapshot.path("flags").forEach(flag -> enabled.put(flag.path("key").asText(), flag.path("enabled").asBoolean()));
        return enabled;
    }

    /** Runs one statement as the README's psql line does (autocommit); returns when it committed. */
    private static long execute(String sql) throws SQLException {
        try (Statement statement = database.createStatement()) {
            assertThat(statement.executeUpdate(sql)).as(sql).isPositive();
            return System.nanoTime();
        }
    }

    private static Connection connect() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + stack.port("FLAGSYNC_PG_PORT") + "/flagsync";
        return DriverManager.getConnection(url, "flagsync", "flagsync");
    }

    /** One request to a port nothing listens on: loads and starts the client's machinery. */
    private static void warmUpHttpClient() throws InterruptedException {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Ports.free() + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException expected) {
            // connection refused: the point was only to warm up
        }
        JSON.createObjectNode();
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The demo as the README writes it: the path its curl reads and the UPDATE its psql line runs. */
    record Readme(String path, String update) {

        private static final Pattern CURL = Pattern.compile("curl -s http://127\\.0\\.0\\.1:\\d+(/api/v1/environments/\\w+/flags)\\s");
        private static final Pattern PSQL_UPDATE = Pattern.compile("-c \"(UPDATE feature_flags [^\"]+)\"");

        static Readme demo() throws IOException {
            String readme = Files.readString(RunLocal.ROOT.resolve("README.md"));
            return new Readme(first(CURL, readme), first(PSQL_UPDATE, readme));
        }

        private static String first(Pattern pattern, String text) {
            Matcher matcher = pattern.matcher(text);
            assertThat(matcher.find()).as("README.md has the demo line " + pattern).isTrue();
            return matcher.group(1);
        }
    }
}
