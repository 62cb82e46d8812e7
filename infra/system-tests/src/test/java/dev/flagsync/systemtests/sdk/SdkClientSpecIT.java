package dev.flagsync.systemtests.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.flagsync.localstack.LoadAverage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "wire" claim of Unleash compatibility: the real Node SDK ({@code unleash-client} from npm)
 * pointed at flagsync answers every case of {@code @unleash/client-specification} 6.1.0 that
 * flagsync can store. Each evaluation file's {@code state} goes through the import endpoint into
 * an environment of its own, the SDK reads it from {@code /api/client/features} with a client
 * (server) token of that environment, and the file's tests and variantTests run through
 * {@code isEnabled} and {@code getVariant}. Cases about a flag the import refused (the strict
 * check of the admin API: unknown operator, missing segment, chained dependencies...) are listed
 * as not stored, with the reason; every other case must pass. Files 19 and 20 test the delta API,
 * which is the streaming test's.
 */
class SdkClientSpecIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SPECIFICATIONS = Path.of("node/node_modules/@unleash/client-specification/specifications");
    private static final List<String> DELTA_FILES = List.of("19-delta-api-hydration.json", "20-delta-api-events.json");

    @RegisterExtension
    static SdkStack stack = SdkStack.shared();

    private record Refused(String flag, String reason) {
    }

    @Test
    void theNodeSdkAnswersEverySpecificationCaseThatIsStored() throws IOException, InterruptedException {
        JsonNode index = JSON.readTree(SPECIFICATIONS.resolve("index.json").toFile());
        ArrayNode plan = JSON.createArrayNode();
        Map<String, Map<String, Refused>> refused = new LinkedHashMap<>();
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
            String env = "sdk-client-spec-" + file.substring(0, 2);
            HttpResponse<String> imported = stack.http("POST", "/api/v1/environments/" + env + "/import",
                    stack.adminToken(), spec.get("state").toString());
            assertThat(imported.statusCode()).as("import of %s: %s", file, imported.body()).isEqualTo(200);
            Map<String, Refused> notStored = new TreeMap<>();
            SdkStack.read(imported.body()).path("refused").forEach(r -> notStored.put(r.path("name").asText(),
                    new Refused(r.path("name").asText(), r.path("errors").path(0).path("path").asText() + ": "
                            + r.path("errors").path(0).path("message").asText())));
            refused.put(file, notStored);
            plan.addObject().put("file", file).put("token", stack.createToken("server", env));
        }

        List<JsonNode> results;
        try (NodeScript node = NodeScript.start("unleash-spec.mjs",
                Map.of("API_URL", stack.apiUrl(), "PLAN", plan.toString()))) {
            int exit = node.awaitExit(Duration.ofMinutes(3));
            assertThat(exit).as(node.describe()).isZero();
            results = node.lines();
        }

        int passed = 0;
        List<String> failures = new ArrayList<>();
        List<String> notStoredCases = new ArrayList<>();
        for (JsonNode line : results) {
            if (line.has("event")) {
                assertThat(line.path("event").asText()).as("SDK event %s", line).isIn("registered", "sent", "done");
                continue;
            }
            String file = line.path("file").asText();
            Refused notStored = refused.get(file).get(line.path("toggle").asText());
            if (notStored != null) {
                notStoredCases.add(file + " " + line.path("description").asText() + " [" + notStored.reason() + "]");
            } else if (line.path("pass").asBoolean()) {
                passed++;
            } else {
                failures.add(file + " " + line.path("description").asText() + ": expected " + line.path("expected")
                        + ", the SDK answered " + line.path("actual"));
            }
        }
        System.out.printf("wire: %d of %d cases pass; not stored: %d; not run here: %d (files 19-20, the delta API); load %s%n",
                passed, total, notStoredCases.size(), delta, LoadAverage.now());
        refused.forEach((file, flags) -> flags.values().forEach(r ->
                System.out.printf("wire: not stored: %s %s (%s)%n", file, r.flag(), r.reason())));
        assertThat(failures).as("cases the Node SDK answered differently from the specification").isEmpty();
        assertThat(passed + notStoredCases.size()).as("cases run").isEqualTo(total - delta);
        long registered = results.stream().filter(l -> l.path("event").asText().equals("registered")).count();
        long sent = results.stream().filter(l -> l.path("event").asText().equals("sent")).count();
        assertThat(registered).as("SDK registrations answered 2xx").isEqualTo(plan.size());
        assertThat(sent).as("SDK metrics posts answered 2xx").isEqualTo(plan.size());
    }
}
