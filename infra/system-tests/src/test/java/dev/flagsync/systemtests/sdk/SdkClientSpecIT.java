package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flagsync.localstack.LoadAverage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "wire" claim of Unleash compatibility: the real Node SDK ({@code unleash-client} from npm)
 * pointed at flagsync answers every case of {@code @unleash/client-specification} 6.1.0 that
 * flagsync can store. Each evaluation file's {@code state} goes through the import endpoint into
 * an environment of its own, once with strict validation (the default, as strict as an admin
 * write) and once with {@code validation=lenient}; the SDK reads it from {@code /api/client/features}
 * with a client (server) token of that environment, and the file's tests and variantTests run
 * through {@code isEnabled} and {@code getVariant}. Cases about a flag the import refused are
 * listed as not stored, with the reason; every other case must pass. Files 19 and 20 test the
 * delta API, which is the streaming test's.
 */
class SdkClientSpecIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SPECIFICATIONS = Path.of("node/node_modules/@unleash/client-specification/specifications");
    private static final List<String> DELTA_FILES = List.of("19-delta-api-hydration.json", "20-delta-api-events.json");
    private static final List<String> MODES = List.of("strict", "lenient");

    @RegisterExtension
    static SdkStack stack = SdkStack.shared();

    @Test
    void theNodeSdkAnswersEverySpecificationCaseThatIsStored() throws IOException, InterruptedException {
        JsonNode index = JSON.readTree(SPECIFICATIONS.resolve("index.json").toFile());
        ArrayNode plan = JSON.createArrayNode();
        // mode -> file -> flag -> why it was not stored
        Map<String, Map<String, Map<String, String>>> refused = new HashMap<>();
        int total = 0;
        int delta = 0;
        for (JsonNode name : index) {
            String file = name.textValue();
            JsonNode spec = JSON.readTree(SPECIFICATIONS.resolve(file).toFile());
            int cases = spec.path("tests").size() + spec.path("variantTests").size();
            total += cases;
            if (DELTA_FILES.contains(file)) {
                delta += cases;
                continue;
            }
            for (String mode : MODES) {
                String env = "sdk-client-spec-" + file.substring(0, 2) + (mode.equals("strict") ? "" : "-lenient");
                HttpResponse<String> imported = stack.http("POST", "/api/v1/environments/" + env + "/import?validation=" + mode,
                        stack.adminToken(), spec.get("state").toString());
                assertThat(imported.statusCode()).as("import of %s: %s", file, imported.body()).isEqualTo(200);
                Map<String, String> notStored = new TreeMap<>();
                SdkStack.read(imported.body()).path("refused").forEach(r -> notStored.put(r.path("name").asText(),
                        r.path("errors").path(0).path("path").asText() + ": " + r.path("errors").path(0).path("message").asText()));
                refused.computeIfAbsent(mode, k -> new TreeMap<>()).put(file, notStored);
                plan.addObject().put("file", file).put("mode", mode).put("token", stack.createToken("server", env));
            }
        }

        List<JsonNode> results;
        try (NodeScript node = NodeScript.start("unleash-spec.mjs", Map.of("API_URL", stack.apiUrl(), "PLAN", plan.toString()))) {
            assertThat(node.awaitExit(Duration.ofMinutes(4))).as(node.describe()).isZero();
            results = node.lines();
        }

        List<String> failures = new ArrayList<>();
        for (String mode : MODES) {
            int passed = 0;
            int notStored = 0;
            for (JsonNode line : results) {
                if (!line.path("mode").asText().equals(mode)) {
                    continue;
                }
                if (line.has("event")) {
                    assertThat(line.path("event").asText()).as("SDK event %s", line).isIn("registered", "sent", "done");
                    continue;
                }
                if (refused.get(mode).get(line.path("file").asText()).containsKey(line.path("toggle").asText())) {
                    notStored++;
                } else if (line.path("pass").asBoolean()) {
                    passed++;
                } else {
                    failures.add(mode + " " + line.path("file").asText() + " " + line.path("description").asText()
                            + ": expected " + line.path("expected") + ", the SDK answered " + line.path("actual"));
                }
            }
            System.out.printf("wire (%s import): %d of %d cases pass; not stored: %d; not run here: %d (files 19-20, the delta API); load %s%n",
                    mode, passed, total, notStored, delta, LoadAverage.now());
            refused.get(mode).forEach((file, flags) -> flags.forEach((flag, why) ->
                    System.out.printf("wire (%s import): not stored: %s %s (%s)%n", mode, file, flag, why)));
            assertThat(passed + notStored).as("cases run (%s)", mode).isEqualTo(total - delta);
        }
        assertThat(failures).as("cases the Node SDK answered differently from the specification").isEmpty();
        for (String event : List.of("registered", "sent")) {
            assertThat(results.stream().filter(line -> line.path("event").asText().equals(event)).count())
                    .as("SDK '%s' events (register and metrics answered 2xx), one per SDK instance", event).isEqualTo(plan.size());
        }
    }
}
