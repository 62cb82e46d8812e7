package dev.flagsync.evaluator;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.model.RuleJson;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;

/** Compiles test snapshots written as Unleash client-features JSON, and a deterministic host. */
final class TestRules {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private TestRules() {
    }

    /** {@code {"features":[...],"segments":[...]}} compiled. */
    static CompiledRules compile(String json) {
        JsonNode state = json(json);
        return RuleCompiler.compileJson(state.path("features"), state.path("segments"));
    }

    static JsonNode json(String json) {
        try {
            return RuleJson.parse(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("bad test JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Host host() {
        return host("app-1.example.com", RandomSource.of(new SplittableRandom(42)));
    }

    static Host host(String hostname, RandomSource random) {
        return new Host(hostname, InstantSource.fixed(NOW), random);
    }

    static Evaluator evaluator() {
        return new Evaluator(host());
    }
}
