package dev.flagsync.api.unleash;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
            "06-remote-address-strategy.json", Set.of("Feature.remoteAddress.C"),
            "13-constraint-operators.json", Set.of("F7.invalid-operator"),
            "14-constraint-semver-operators.json", Set.of("F8.invalidSemverWithLeadingV"),
            "15-global-constraints.json", Set.of("F9.withMissingSegment"),
            "17-dependent-features.json", Set.of("child.with.cycle", "child.with.transitive.dependency", "parent.with.cycle",
                    "parents.not.exist.child.enabled"),
            "21-regex-constraint-operators.json", Set.of("R90.reject_lookahead", "R91.reject_backreference",
                    "invalid-regex-defaults-to-false"),
            "22-cidr-constraint-operators.json", Set.of("CIDR.invalid.only", "CIDR.ipv6.mixed.values", "CIDR.mixed.values"));
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
    void importsEverySpecificationStateRefusingWhatTheStrictCheckRefuses() throws IOException {
        Map<String, Set<String>> refusedByFile = new TreeMap<>();
        for (String file : evaluationFiles()) {
            JsonNode state = json(Files.readString(SPECIFICATIONS.resolve(file))).get("state");
            String env = "import-spec-" + file.substring(0, 2);
            HttpResponse<String> response = importInto(env, state.toString(), "");
            assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(200);
            JsonNode outcome = json(response.body());
            Set<String> refused = new TreeSet<>();
            outcome.get("refused").forEach(r -> refused.add(r.get("name").textValue()));
            if (!refused.isEmpty()) {
                refusedByFile.put(file, refused);
            }
            Set<String> imported = new TreeSet<>();
            outcome.at("/imported/flags").forEach(name -> imported.add(name.textValue()));
            Set<String> served = new TreeSet<>();
            served(env).get("features").forEach(feature -> served.add(feature.get("name").textValue()));
            assertThat(served).as(file).isEqualTo(imported);
            assertThat(imported.size() + refused.size()).as(file).isEqualTo(state.get("features").size());
        }
        assertThat(refusedByFile).isEqualTo(REFUSED);
    }

    @Test
    void aLenientImportStoresWhatTheReadPathEvaluatesAsUnleashDoesWithWarnings() throws IOException {
        String regex = json(Files.readString(SPECIFICATIONS.resolve("21-regex-constraint-operators.json"))).get("state").toString();
        JsonNode outcome = json(importInto("import-lenient-21", regex, "?validation=lenient").body());

        assertThat(outcome.get("validation").textValue()).isEqualTo("lenient");
        assertThat(outcome.get("refused")).isEmpty();
        Set<String> warned = new TreeSet<>();
        outcome.get("warnings").forEach(w -> warned.add(w.get("name").textValue()));
        assertThat(warned).isEqualTo(REFUSED.get("21-regex-constraint-operators.json"));
        assertThat(served("import-lenient-21").get("features")).hasSize(outcome.at("/imported/flags").size());

        // Dependencies more than one level deep, or on no flag, are refused even so: admin writes could not mend them.
        String dependent = json(Files.readString(SPECIFICATIONS.resolve("17-dependent-features.json"))).get("state").toString();
        Set<String> refused = new TreeSet<>();
        json(importInto("import-lenient-17", dependent, "?validation=lenient").body()).get("refused")
                .forEach(r -> refused.add(r.get("name").textValue()));
        assertThat(refused).isEqualTo(REFUSED.get("17-dependent-features.json"));
        assertThat(importInto("import-lenient-17", dependent, "?validation=loose").statusCode()).isEqualTo(400);
    }

    @Test
    void aDryRunReportsTheSameAndChangesNothing() throws IOException {
        String state = json(Files.readString(SPECIFICATIONS.resolve("15-global-constraints.json"))).get("state").toString();
        JsonNode dry = json(importInto("import-dry-run", state, "?dryRun=true").body());

        assertThat(dry.get("dryRun").booleanValue()).isTrue();
        assertThat(dry.at("/imported/flags")).isNotEmpty();
        assertThat(served("import-dry-run").get("features")).isEmpty();
        assertThat(fixture.get("/api/v1/environments/import-dry-run/segments", "Authorization", ADMIN).body())
                .isEqualTo("{\"segments\":[]}");
        JsonNode real = json(importInto("import-dry-run", state, "").body());
        assertThat(real.get("imported")).isEqualTo(dry.get("imported"));
        assertThat(real.get("refused")).isEqualTo(dry.get("refused"));
        assertThat(served("import-dry-run").get("features")).hasSize(real.at("/imported/flags").size());
    }

    @Test
    void writesEverythingInOneTransaction() throws IOException {
        String state = json(Files.readString(SPECIFICATIONS.resolve("16-strategy-variants.json"))).get("state").toString();
        JsonNode outcome = json(importInto("import-one-tx", state, "").body());

        JsonNode audit = json(fixture.get("/api/v1/environments/import-one-tx/audit?limit=500", "Authorization", ADMIN).body());
        Set<String> transactions = new HashSet<>();
        audit.get("entries").forEach(entry -> transactions.add(entry.get("txId").asText()));
        assertThat(audit.get("entries")).hasSize(outcome.at("/imported/flags").size() + outcome.at("/imported/segments").size());
        assertThat(transactions).hasSize(1);
    }

    @Test
    void importsAFeatureExportMappingSegmentsByNameAndNamingWhatItLeavesOut() {
        assertThat(fixture.put("/api/v1/environments/import-export/segments/3", "{\"name\":\"beta-users\",\"constraints\":"
                + "[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":[\"7\"]}]}", "Authorization", ADMIN).statusCode())
                .isEqualTo(200);
        String export = """
                {"features":[{"name":"checkout","description":"new checkout","type":"release","project":"shop","stale":false,
                              "impressionData":true,"archived":false},
                             {"name":"checkout.child","type":"release","project":"shop"},
                             {"name":"old","type":"release","archived":true},
                             {"name":"uses-unknown-segment","type":"release"}],
                 "featureStrategies":[
                   {"id":"b","featureName":"checkout","name":"default","sortOrder":2,"parameters":{},"constraints":[],"segments":[11]},
                   {"id":"a","featureName":"checkout","name":"flexibleRollout","sortOrder":1,"title":"half",
                    "parameters":{"rollout":"50","stickiness":"default","groupId":"checkout"},"constraints":[],"segments":[]},
                   {"id":"c","featureName":"checkout","name":"userWithId","sortOrder":3,"disabled":true,"parameters":{"userIds":"1"}},
                   {"id":"d","featureName":"checkout.child","name":"default","parameters":{},"constraints":[]},
                   {"id":"e","featureName":"uses-unknown-segment","name":"default","parameters":{},"segments":[12]}],
                 "featureEnvironments":[
                   {"featureName":"checkout","name":"checkout","environment":"production","enabled":true,
                    "variants":[{"name":"a","weight":1000,"weightType":"variable","stickiness":"default","overrides":[]}]},
                   {"featureName":"checkout.child","name":"checkout.child","environment":"production","enabled":true,"variants":[]}],
                 "dependencies":[{"feature":"checkout.child","dependencies":[{"feature":"checkout","enabled":true}]}],
                 "segments":[{"id":11,"name":"beta-users"},{"id":12,"name":"nowhere"}],
                 "featureTags":[{"featureName":"checkout","tagType":"simple","tagValue":"web"}],
                 "tagTypes":[{"name":"simple","description":"simple"}],
                 "contextFields":[]}""";

        HttpResponse<String> response = importInto("import-export", export, "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode outcome = json(response.body());
        assertThat(outcome.get("format").textValue()).isEqualTo("export");
        assertThat(outcome.at("/imported/flags").valueStream().map(JsonNode::textValue)).containsExactly("checkout", "checkout.child");
        Map<String, String> refused = new TreeMap<>();
        outcome.get("refused").forEach(r -> refused.put(r.get("name").textValue(), r.at("/errors/0/message").textValue()));
        assertThat(refused).containsOnlyKeys("old", "uses-unknown-segment");
        assertThat(refused.get("old")).contains("archived");
        assertThat(refused.get("uses-unknown-segment")).contains("segment 12 does not exist");
        Set<String> ignored = new TreeSet<>();
        outcome.get("ignored").forEach(i -> ignored.add(i.get("field").textValue()));
        assertThat(ignored).contains("project", "type", "stale", "featureTags", "tagTypes", "strategies[].id",
                "strategies[].sortOrder", "strategies[].disabled");

        JsonNode checkout = served("import-export").get("features").get(0);
        assertThat(checkout.get("name").textValue()).isEqualTo("checkout");
        assertThat(checkout.get("enabled").booleanValue()).isTrue();
        assertThat(checkout.get("impressionData").booleanValue()).isTrue();
        assertThat(checkout.get("description").textValue()).isEqualTo("new checkout");
        assertThat(checkout.get("strategies").valueStream().map(st -> st.get("name").textValue()))
                .as("sortOrder, without the disabled strategy").containsExactly("flexibleRollout", "default");
        assertThat(checkout.at("/strategies/1/segments/0").intValue()).as("Unleash's segment 11 is flagsync's 3").isEqualTo(3);
        assertThat(checkout.at("/variants/0/name").textValue()).isEqualTo("a");
        JsonNode child = served("import-export").get("features").get(1);
        assertThat(child.at("/dependencies/0/feature").textValue()).isEqualTo("checkout");
    }

    @Test
    void refusesWhatIsNeitherShapeAndCallersWithoutAnAdminToken() {
        HttpResponse<String> neither = importInto("import-bad", "{\"flags\":[]}", "");
        assertThat(neither.statusCode()).isEqualTo(400);
        assertThat(neither.body()).contains("features");
        assertThat(importInto("import-bad", "[", "").statusCode()).isEqualTo(400);
        assertThat(importInto("import-bad", "{\"features\":[]}", "?dryRun=maybe").statusCode()).isEqualTo(400);
        HttpResponse<String> anonymous = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/environments/import-bad/import"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"features\":[]}")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void refusesTheNulCharacterWhichPostgresqlCannotStoreWithItsPath() {
        String state = "{\"features\":[{\"name\":\"nul\",\"enabled\":true,\"strategies\":[{\"name\":\"default\","
                + "\"constraints\":[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":[\"a\\u0000b\"]}]}]},"
                + "{\"name\":\"fine\",\"enabled\":true,\"strategies\":[]}]}";
        for (String validation : List.of("strict", "lenient")) {
            HttpResponse<String> response = importInto("import-nul", state, "?validation=" + validation);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode outcome = json(response.body());
            assertThat(outcome.at("/refused/0/name").textValue()).isEqualTo("nul");
            assertThat(outcome.at("/refused/0/errors/0/path").textValue()).isEqualTo("$.strategies[0].constraints[0].values[0]");
            assertThat(outcome.at("/imported/flags/0").textValue()).isEqualTo("fine");
        }
        HttpResponse<String> put = fixture.put("/api/v1/environments/import-nul/flags/nul-description",
                "{\"enabled\":true,\"description\":\"a\\u0000b\"}", "Authorization", ADMIN);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
        assertThat(put.body()).contains("$.description").contains("U+0000");
    }

    @Test
    void takesTheFirstOfTwoFlagsOrSegmentsOfOneNameAndSaysSo() {
        String state = "{\"features\":[{\"name\":\"twice\",\"enabled\":true,\"strategies\":[]},"
                + "{\"name\":\"twice\",\"enabled\":false,\"strategies\":[]}],"
                + "\"segments\":[{\"id\":1,\"constraints\":[]},{\"id\":1,\"name\":\"second\",\"constraints\":[]}]}";
        JsonNode outcome = json(importInto("import-twice-named", state, "").body());

        assertThat(outcome.get("refused")).hasSize(2);
        assertThat(outcome.at("/refused/0/errors/0/message").textValue()).contains("the first is taken");
        assertThat(served("import-twice-named").at("/features/0/enabled").booleanValue()).isTrue();
        assertThat(served("import-twice-named").at("/segments/0/name").textValue()).isEqualTo("segment-1");
    }

    @Test
    void importingTheSameStateTwiceLeavesTheSameFlags() throws IOException {
        String state = json(Files.readString(SPECIFICATIONS.resolve("08-variants.json"))).get("state").toString();
        JsonNode first = json(importInto("import-twice", state, "").body());
        JsonNode before = served("import-twice").get("features");
        JsonNode second = json(importInto("import-twice", state, "").body());

        assertThat(second.get("imported")).isEqualTo(first.get("imported"));
        assertThat(served("import-twice").get("features")).isEqualTo(before);
    }
}
