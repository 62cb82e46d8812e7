package dev.flagsync.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every evaluation case of Unleash's client specification 6.1.0 (files 01–18, 21, 22) against the
 * evaluator, one named test per case, grouped by file. The specification's own counts: 223
 * {@code isEnabled} tests and 52 {@code getVariant} tests, 275 cases.
 */
class UnleashSpecificationTest {

    private static final int EXPECTED_CASES = 275;

    // No case depends on the random draw (only 0 % and 100 % are random); seeded all the same.
    private final Evaluator evaluator = new Evaluator(new Host("spec-host",
            InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z")), RandomSource.of(new SplittableRandom(6_1_0))));

    @TestFactory
    Stream<DynamicNode> unleashClientSpecification() {
        List<DynamicNode> files = new ArrayList<>();
        int cases = 0;
        for (String file : SpecificationFiles.evaluationFiles()) {
            JsonNode spec = SpecificationFiles.read("specifications/" + file);
            CompiledRules rules = RuleCompiler.compileJson(spec.path("state").path("features"),
                    spec.path("state").path("segments"));
            List<DynamicTest> tests = new ArrayList<>();
            spec.path("tests").forEach(test -> tests.add(enabledCase(rules, test)));
            spec.path("variantTests").forEach(test -> tests.add(variantCase(rules, test)));
            cases += tests.size();
            files.add(DynamicContainer.dynamicContainer(file.replace(".json", "") + " (" + tests.size() + " cases)", tests));
        }
        System.out.printf("Unleash client specification %s: %d cases from %d files (01-18, 21, 22)%n",
                SpecificationFiles.VERSION, cases, files.size());
        return files.stream();
    }

    private DynamicTest enabledCase(CompiledRules rules, JsonNode test) {
        return DynamicTest.dynamicTest("isEnabled: " + test.path("description").asText(), () -> {
            Evaluation answer = evaluator.evaluate(rules, test.path("toggleName").asText(),
                    SpecificationFiles.context(test.path("context")));
            assertThat(answer.enabled()).as("%s", answer).isEqualTo(test.path("expectedResult").asBoolean());
        });
    }

    private DynamicTest variantCase(CompiledRules rules, JsonNode test) {
        return DynamicTest.dynamicTest("getVariant: " + test.path("description").asText(), () -> {
            Evaluation answer = evaluator.evaluate(rules, test.path("toggleName").asText(),
                    SpecificationFiles.context(test.path("context")));
            JsonNode expected = test.path("expectedResult");
            EvaluatedVariant variant = answer.variant();
            assertThat(variant.name()).as("name of %s", answer).isEqualTo(expected.path("name").asText());
            assertThat(variant.enabled()).as("enabled of %s", answer).isEqualTo(expected.path("enabled").asBoolean());
            assertThat(variant.featureEnabled()).as("feature_enabled of %s", answer)
                    .isEqualTo(expected.path("feature_enabled").asBoolean());
            if (expected.has("payload")) {
                assertThat(variant.payload()).as("payload of %s", answer).isNotNull();
                assertThat(variant.payload().type()).isEqualTo(expected.path("payload").path("type").asText());
                assertThat(variant.payload().value()).isEqualTo(expected.path("payload").path("value").asText());
            } else {
                assertThat(variant.payload()).as("payload of %s", answer).isNull();
            }
        });
    }

    @Test
    void runsEveryEvaluationCaseOfTheSpecification() {
        int cases = 0;
        for (String file : SpecificationFiles.evaluationFiles()) {
            JsonNode spec = SpecificationFiles.read("specifications/" + file);
            cases += spec.path("tests").size() + spec.path("variantTests").size();
        }
        assertThat(SpecificationFiles.evaluationFiles()).hasSize(20);
        assertThat(cases).isEqualTo(EXPECTED_CASES);
    }

    @Test
    void specificationStatesCompileWithoutUnreadableFlags() {
        for (String file : SpecificationFiles.evaluationFiles()) {
            JsonNode state = SpecificationFiles.read("specifications/" + file).path("state");
            assertThat(RuleCompiler.compileJson(state.path("features"), state.path("segments")).problems())
                    .as(file).isEmpty();
        }
    }

    @Test
    void committedFilesAreThoseOfThePinnedPackage() throws NoSuchAlgorithmException {
        String sums = new String(SpecificationFiles.bytes("SHA256SUMS"), StandardCharsets.UTF_8);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        List<String> lines = sums.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(25); // LICENSE, package.json, index.json and 22 specification files
        for (String line : lines) {
            String[] parts = line.split(" +", 2);
            String actual = HexFormat.of().formatHex(sha256.digest(SpecificationFiles.bytes(parts[1])));
            assertThat(actual).as(parts[1]).isEqualTo(parts[0]);
        }
        assertThat(SpecificationFiles.read("package.json").path("version").asText()).isEqualTo(SpecificationFiles.VERSION);
    }
}
