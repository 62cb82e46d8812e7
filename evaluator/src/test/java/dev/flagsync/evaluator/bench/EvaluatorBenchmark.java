package dev.flagsync.evaluator.bench;

import com.fasterxml.jackson.core.JacksonException;
import dev.flagsync.evaluator.CompiledRules;
import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Evaluation;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.Reason;
import dev.flagsync.evaluator.RuleCompiler;
import dev.flagsync.evaluator.model.RuleJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One evaluation of a targeted flag (three strategies of three constraints each, then three
 * weighted variants), of the same flag with one constraint written as a REGEX, and of a plain
 * legacy percentage flag, for a different user each call. Run by {@link EvaluatorBenchmarkMain} ({@code bin/bench-evaluator}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvaluatorBenchmark {

    /**
     * Strategies 1 and 2 each fail on their third constraint; strategy 3 matches, then one of three
     * weighted variants is hashed. Nine constraints of eight operators; no REGEX (see REGEX_STATE).
     */
    static final String STATE = """
            {"segments":[],
             "features":[
              {"name":"checkout-redesign","enabled":true,"strategies":[
                {"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"userId","groupId":"checkout-redesign"},
                 "constraints":[{"contextName":"country","operator":"IN","values":["NO","SE","DK","FI"]},
                                {"contextName":"appVersion","operator":"SEMVER_GTE","value":"2.0.0"},
                                {"contextName":"email","operator":"STR_ENDS_WITH","values":["@example.com"],"caseInsensitive":true}]},
                {"name":"default","parameters":{},
                 "constraints":[{"contextName":"plan","operator":"IN","values":["pro","enterprise"]},
                                {"contextName":"currentTime","operator":"DATE_AFTER","value":"2025-01-01T00:00:00Z"},
                                {"contextName":"remoteAddress","operator":"IN_CIDR","values":["10.0.0.0/8","2001:db8::/32"]}]},
                {"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"default","groupId":"checkout-redesign"},
                 "constraints":[{"contextName":"environment","operator":"IN","values":["production"]},
                                {"contextName":"userId","operator":"STR_STARTS_WITH","values":["user-"]},
                                {"contextName":"age","operator":"NUM_GTE","value":"18"}]}],
               "variants":[
                {"name":"control","weight":500,"stickiness":"default","payload":{"type":"string","value":"old"}},
                {"name":"compact","weight":250,"stickiness":"default","payload":{"type":"json","value":"{\\"rows\\":2}"}},
                {"name":"wide","weight":250,"stickiness":"default","payload":{"type":"json","value":"{\\"rows\\":1}"}}]},
              {"name":"legacy-rollout","enabled":true,"rolloutPercentage":50}]}""";

    /** The same flag with strategy 3's STR_STARTS_WITH written as the REGEX {@code ^user-[0-9]+$}: re2j's price. */
    static final String REGEX_STATE = STATE
            .replace("{\"contextName\":\"userId\",\"operator\":\"STR_STARTS_WITH\",\"values\":[\"user-\"]}",
                    "{\"contextName\":\"userId\",\"operator\":\"REGEX\",\"value\":\"^user-[0-9]+$\"}");

    private static final int USERS = 1024;

    private CompiledRules rules;
    private CompiledRules regexRules;
    private Evaluator evaluator;
    private Context[] contexts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws JacksonException {
        rules = compile(STATE);
        regexRules = compile(REGEX_STATE);
        if (regexRules.warnings().size() != 0 || REGEX_STATE.equals(STATE)) {
            throw new IllegalStateException("the REGEX variant of the flag did not compile as meant");
        }
        evaluator = new Evaluator(Host.system("bench-host"));
        contexts = new Context[USERS];
        for (int i = 0; i < USERS; i++) {
            contexts[i] = Context.builder().userId("user-" + (1_000_000 + i)).environment("production")
                    .remoteAddress("192.0.2." + (i % 250)).currentTime("2026-06-01T12:00:00Z")
                    .property("country", "NO").property("appVersion", "2.3.1").property("email", "u" + i + "@other.org")
                    .property("plan", "pro").property("age", "42").build();
        }
        for (CompiledRules compiled : new CompiledRules[] {rules, regexRules}) {
            Evaluation sample = evaluator.evaluate(compiled, "checkout-redesign", contexts[0]);
            if (!sample.enabled() || sample.reason() != Reason.SPLIT || !sample.variant().enabled()) {
                throw new IllegalStateException("the benchmark flag must reach its third strategy and a variant: " + sample);
            }
        }
    }

    private static CompiledRules compile(String json) throws JacksonException {
        var state = RuleJson.parse(json);
        return RuleCompiler.compileJson(state.get("features"), state.get("segments"));
    }

    private Context nextContext() {
        next = (next + 1) & (USERS - 1);
        return contexts[next];
    }

    @Benchmark
    public Evaluation targetedFlag() {
        return evaluator.evaluate(rules, "checkout-redesign", nextContext());
    }

    @Benchmark
    public Evaluation targetedFlagWithRegex() {
        return evaluator.evaluate(regexRules, "checkout-redesign", nextContext());
    }

    @Benchmark
    public Evaluation legacyFlag() {
        return evaluator.evaluate(rules, "legacy-rollout", nextContext());
    }
}
