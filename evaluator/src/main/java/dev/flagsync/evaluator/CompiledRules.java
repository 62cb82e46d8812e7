package dev.flagsync.evaluator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One snapshot's flags and segments, compiled once by {@link RuleCompiler} and then evaluated
 * concurrently by any number of threads (immutable). Its problems name the flags that answer an
 * error because their rules could not be read; its warnings the lenient decisions taken.
 */
public final class CompiledRules {

    private final Map<String, CompiledFlag> flags;
    private final List<String> keys;
    private final List<Problem> problems;
    private final List<Problem> warnings;

    CompiledRules(Map<String, CompiledFlag> flags, List<Problem> problems, List<Problem> warnings) {
        this.flags = Map.copyOf(flags);
        List<String> sorted = new ArrayList<>(flags.keySet());
        Collections.sort(sorted);
        this.keys = List.copyOf(sorted);
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    CompiledFlag flag(String key) {
        return flags.get(key);
    }

    public boolean contains(String key) {
        return flags.containsKey(key);
    }

    /** Every flag key, sorted. */
    public List<String> keys() {
        return keys;
    }

    public int size() {
        return flags.size();
    }

    /** Whether the flag asks SDKs to raise impression events (false for an absent flag). */
    public boolean impressionData(String key) {
        CompiledFlag flag = flags.get(key);
        return flag != null && flag.impressionData();
    }

    /** Flags that answer an error because their rules cannot be read, and segments that could not be read. */
    public List<Problem> problems() {
        return problems;
    }

    /** Lenient decisions: unknown operators and strategies, missing segments, patterns that do not compile. */
    public List<Problem> warnings() {
        return warnings;
    }
}
