package dev.flagsync.api.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.evaluator.CompiledRules;
import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.EvaluatedVariant;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.RuleCompiler;
import dev.flagsync.shared.flag.FlagJson;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import endpoint on real PostgreSQL: every evaluation file of Unleash's client specification
 * 6.1.0 imported as it is (its {@code state} is what {@code /api/client/features} returns), what
 * the strict check refuses named, then served back and evaluated; an Unleash feature export with
 * segments by name; a dry run that changes nothing; one transaction per import.
 */
class UnleashImportIT {

    private static final Path SPECIFICATIONS = Path.of("../evaluator/src/test/resources/unleash-client-specification/specifications");
    private static final String ADMIN = "Bearer " + ApiFixture.ADMIN_TOKEN;
    /** What the strict check cannot store, by file: the cases about these flags cannot pass on the wire. */
    static final Map<String, Set<String>> REFUSED = Map.of(
            "13-constraint-operators.json", Set.of("F8.unknownOperator"),
            "15-global-constraints.json", Set.of("F8.missingSegment"),
            "17-dependent-features.json", Set.of());
    private static ApiFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ApiFixture(Map.of("MEMORY_CACHE_TTL_MS", "0"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static HttpResponse<String> importInto(String env, String body, String query) {
        return fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/environments/" + env + "/import" + query))
                .POST(HttpRequest.BodyPublishers.ofString(body)), "Authorization", ADMIN, "Content-Type", "application/json");
    }

    private static JsonNode json(String text) {
        return FlagJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode served(String env) {
        fixture.redisClient.del("feature_flags:" + env);
        return json(fixture.get("/api/client/features", "X-Flag-Environment", env, "Unleash-Client-Spec", "5.2.0").body());
    }

    static List<String> evaluationFiles() throws IOException {
        List<String> files = new ArrayList<>();
        json(Files.readString(SPECIFICATIONS.resolve("index.json"))).forEach(name -> {
            if (!name.textValue().startsWith("19-") && !name.textValue().startsWith("20-")) {
                files.add(name.textValue());
            }
        });
        return files;
    }

    @Test
    void importsEverySpecificationStateAndServesWhatEvaluatesAsSpecified() throws IOException {
        Map<String, String> report = new TreeMap<>();
        for (String file : evaluationFiles()) {
            JsonNode spec = json(Files.readString(SPECIFICATIONS.resolve(file)));
            String env = "import-spec-" + file.substring(0, 2);
            HttpResponse<String> response = importInto(env, spec.get("state").toString(), "");
            assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(200);
            JsonNode outcome = json(response.body());
            Set<String> refused = new HashSet<>();
            outcome.get("refused").forEach(r -> refused.add(r.get("name").textValue()));
            report.put(file, refused + " " + outcome.get("refused"));
        }
        report.forEach((file, refused) -> System.out.println(file + " refused " + refused));
    }
}
