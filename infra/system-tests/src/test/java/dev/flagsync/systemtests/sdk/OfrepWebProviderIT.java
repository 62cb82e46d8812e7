package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.localstack.HeadlessChromium;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stock {@code @openfeature/ofrep-web-provider} 0.4.x with its DEFAULT options (no polling)
 * in headless Chromium, on a page of another origin: it can only see a change through the
 * {@code eventStreams} of flagsync's bulk answers (OFREP ADR-0008), and it sees every SQL change.
 * The commit-to-seen times are printed, not asserted (docs/benchmarks.md); the wait is generous
 * because the machines are shared, and nothing but the event stream can end it.
 */
class OfrepWebProviderIT {

    private static final String ENV = "sdk-ofrep-web-provider";
    private static final int CHANGES = 6;

    @RegisterExtension
    static SdkStack stack = SdkStack.shared();

    @Test
    void withDefaultOptionsSeesEverySqlChangeThroughEventStreams() {
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + ENV + "', 'banner', false)");
        String token = stack.createToken("frontend", ENV);
        stack.pages().clearReports();
        String url = stack.pages().html("/ofrep-events.html", """
                <!doctype html><html><body><script src="/dist/ofrep-events.js"></script></body></html>""");
        Latencies latencies = new Latencies();
        try (HeadlessChromium browser = HeadlessChromium.open(url + "?api=" + stack.apiUrl() + "&token=" + token + "&flag=banner")) {
            JsonNode ready = await("the page's first answer").atMost(Duration.ofSeconds(60))
                    .until(() -> report("ready", 0), Optional::isPresent).orElseThrow();
            assertThat(ready.path("value").asBoolean()).as("report %s", ready).isFalse();
            // The provider keeps one EventSource open (the page is the only stream client of this environment).
            await("the provider's event stream").atMost(Duration.ofSeconds(10)).until(() ->
                    stack.http("GET", "/metrics", null, null).body().lines()
                            .anyMatch(line -> line.matches("flagsync_sse_connections [1-9].*")));
            for (int change = 1; change <= CHANGES; change++) {
                boolean enabled = change % 2 == 1;
                long committing = System.currentTimeMillis();
                stack.sql("UPDATE feature_flags SET enabled = " + enabled + " WHERE environment = '" + ENV + "'");
                int n = change;
                JsonNode seen = await("change " + change + " in the page").atMost(Duration.ofSeconds(20))
                        .until(() -> report("changed", n), Optional::isPresent).orElseThrow();
                assertThat(seen.path("value").asBoolean()).as("report %s", seen).isEqualTo(enabled);
                latencies.add(seen.path("at").asLong() - committing);
            }
        }
        assertThat(stack.pages().reports()).noneMatch(report -> report.contains("\"error\""));
        System.out.println("OfrepWebProviderIT: " + latencies.summary("@openfeature/ofrep-web-provider 0.4.3, default options, headless Chromium, eventStreams"));
    }

    private static Optional<JsonNode> report(String kind, int n) {
        return stack.pages().reports().stream().map(SdkStack::read)
                .filter(report -> report.path("kind").asText().equals(kind) && report.path("n").asInt() == n)
                .findFirst();
    }
}
