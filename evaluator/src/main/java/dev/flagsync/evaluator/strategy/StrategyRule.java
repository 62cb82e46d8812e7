package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Host;

/** A strategy's own rule (its name and parameters), compiled; constraints and segments come before it. */
@FunctionalInterface
interface StrategyRule {

    StrategyRule ALWAYS = (context, host) -> true;
    StrategyRule NEVER = (context, host) -> false;

    boolean test(Context context, Host host);
}
