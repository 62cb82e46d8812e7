package dev.flagsync.evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates compiled flags for a context. Pure: no I/O, and no clock, randomness or host name but
 * those of the {@link Host} it was given. Thread-safe when the host's {@link RandomSource} is.
 */
public final class Evaluator {

    private final Host host;

    public Evaluator(Host host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** The answer for one flag; an absent flag is off with reason DEFAULT and error FLAG_NOT_FOUND. */
    public Evaluation evaluate(CompiledRules rules, String flagKey, Context context) {
        CompiledFlag flag = rules.flag(flagKey);
        return flag == null ? Evaluation.notFound(flagKey) : flag.evaluate(context, host);
    }

    /** Every flag's answer, in key order. */
    public List<Evaluation> evaluateAll(CompiledRules rules, Context context) {
        List<Evaluation> answers = new ArrayList<>(rules.size());
        for (String key : rules.keys()) {
            answers.add(rules.flag(key).evaluate(context, host));
        }
        return answers;
    }
}
