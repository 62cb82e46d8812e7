package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.localstack.HeadlessChromium;
import dev.flagsync.localstack.LoadAverage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The harness the real-SDK tests stand on, checked end to end: a SQL change reaches a Node SDK
 * (OpenFeature's server SDK with its OFREP provider) through the whole stack, and a page on
 * another origin loads a bundled SDK in headless Chromium and reads the API.
 */
class SdkHarnessIT {

    private static final String ENV = "sdk-harness";

    @RegisterExtension
    static SdkStack stack = SdkStack.shared();

    @Test
    void aNodeSdkSeesASqlChangeThroughTheWholeStack() throws InterruptedException {
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + ENV + "', 'harness-node', false)");
        String token = stack.createToken("frontend", ENV);
        try (NodeScript node = NodeScript.start("harness-check.mjs",
                Map.of("API_URL", stack.apiUrl(), "TOKEN", token, "FLAG", "harness-node", "CHANGES", "2"))) {
            JsonNode first = node.awaitLine(line -> line.has("value"), Duration.ofSeconds(30));
            assertThat(first.path("value").asBoolean()).as("first answer %s", first).isFalse();
            long committed = System.nanoTime();
            stack.sql("UPDATE feature_flags SET enabled = true WHERE environment = '" + ENV + "' AND flag_key = 'harness-node'");
            int changed = node.awaitLineIndex(line -> line.path("value").asBoolean(), Duration.ofSeconds(10));
            System.out.printf("SdkHarnessIT: SQL commit to the OFREP server provider (polling every 50 ms): %d ms (load %s)%n",
                    Duration.ofNanos(node.nanos(changed) - committed).toMillis(), LoadAverage.now());
            assertThat(node.awaitExit(Duration.ofSeconds(10))).as(node.describe()).isZero();
        }
    }

    @Test
    void aBundledSdkLoadsInAPageOnAnotherOriginAndReadsTheApi() {
        stack.sql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('" + ENV + "', 'harness-page', true)");
        String token = stack.createToken("frontend", ENV);
        stack.pages().clearReports();
        String url = stack.pages().html("/harness.html", """
                <!doctype html><html><body><script src="/dist/smoke.js"></script></body></html>""");
        try (HeadlessChromium browser = HeadlessChromium.open(url + "?api=" + stack.apiUrl() + "&token=" + token)) {
            await("the page's report").atMost(Duration.ofSeconds(60)).until(() -> !stack.pages().reports().isEmpty());
        }
        JsonNode report = SdkStack.read(stack.pages().reports().getFirst());
        assertThat(report.path("sdkLoaded").asBoolean()).as("report %s", report).isTrue();
        assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
        assertThat(report.path("body").path("flags").findValuesAsText("key")).as("report %s", report).contains("harness-page");
    }
}
