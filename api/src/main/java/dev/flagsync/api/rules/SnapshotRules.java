package dev.flagsync.api.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.CompiledRules;
import dev.flagsync.evaluator.model.Payload;
import dev.flagsync.shared.flag.RuleSources;
import dev.flagsync.shared.flag.Snapshot;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One environment version's rules, compiled once ({@link RulesCache}) and shared by every
 * evaluation of that version: the evaluator's {@link CompiledRules}, which flags pick variants
 * (OFREP answers those with a payload, the others with true or false), and each payload as the
 * JSON value it answers, parsed the first time it is asked for rather than per request.
 */
public final class SnapshotRules {

    private final String environment;
    private final long version;
    private final CompiledRules rules;
    private final Set<String> variantFlags;
    private final Map<Payload, JsonNode> values = new ConcurrentHashMap<>();

    SnapshotRules(Snapshot snapshot) {
        this.environment = snapshot.environment();
        this.version = snapshot.version();
        this.rules = RuleSources.compile(snapshot);
        this.variantFlags = snapshot.flags().stream().filter(RuleSources::hasVariants)
                .map(flag -> flag.key()).collect(Collectors.toUnmodifiableSet());
    }

    public String environment() {
        return environment;
    }

    public long version() {
        return version;
    }

    public CompiledRules rules() {
        return rules;
    }

    /** Whether the flag picks variants: it has feature variants or a strategy with variants. */
    public boolean hasVariants(String flagKey) {
        return variantFlags.contains(flagKey);
    }

    /** The payload as a value, converted once per snapshot version by {@code conversion}. */
    public JsonNode value(Payload payload, Function<Payload, JsonNode> conversion) {
        return values.computeIfAbsent(payload, conversion);
    }
}
