package dev.flagsync.evaluator.condition;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Host;

/** A compiled constraint: everything parsed when the snapshot was compiled, nothing per request. */
@FunctionalInterface
public interface Condition {

    Condition ALWAYS = (context, host) -> true;
    Condition NEVER = (context, host) -> false;

    boolean test(Context context, Host host);

    default Condition negate() {
        Condition self = this;
        return (context, host) -> !self.test(context, host);
    }
}
