package dev.flagsync.api.health;

import dev.flagsync.shared.lifecycle.Loop;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What {@code /health/live} and {@code /health/ready} answer, decided without any HTTP framework.
 *
 * <p>Live fails (503) only when one of the process's loops died or is stuck: a restart helps then,
 * and never while a store is down, where a restart would only throw away the memory copies.
 *
 * <p>Ready is 503 while the instance cannot answer reads at all: before its first successful load
 * (unless it has last known good copies to serve), when neither store answers and nothing is known,
 * or when a loop is dead. Everything short of that is {@code degraded} with 200, with each reason
 * named: a load balancer should keep sending traffic to an instance that answers, even from its
 * last known good copies, since taking every instance out during a store outage would turn
 * stale-but-served flags into no flags at all.
 */
public final class Health {

    /** An HTTP status and the JSON body that goes with it. */
    public record Report(int status, Map<String, Object> body) {
    }

    private final Map<String, BooleanSupplier> stores;
    private final List<Loop> loops;
    private final Supplier<Optional<String>> loadProblem;
    private final IntSupplier knownEnvironments;

    /**
     * @param stores            store name to a short-timeout probe, e.g. "redis" to a PING
     * @param loops             every long-lived loop of the process
     * @param loadProblem       why the first load has not succeeded yet; empty once it has
     * @param knownEnvironments how many environments could be answered from last known good copies
     */
    public Health(Map<String, BooleanSupplier> stores, List<Loop> loops, Supplier<Optional<String>> loadProblem,
                  IntSupplier knownEnvironments) {
        this.stores = new LinkedHashMap<>(stores);
        this.loops = List.copyOf(loops);
        this.loadProblem = loadProblem;
        this.knownEnvironments = knownEnvironments;
    }

    public Report live() {
        Map<String, String> dead = new LinkedHashMap<>();
        loops.forEach(loop -> loop.liveProblem().ifPresent(problem -> dead.put(loop.name(), problem)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", dead.isEmpty() ? "up" : "down");
        body.put("loops", states(Loop::liveProblem));
        return new Report(dead.isEmpty() ? 200 : 503, body);
    }

    public Report ready() {
        Map<String, String> checks = new LinkedHashMap<>();
        stores.forEach((name, probe) -> checks.put(name, probe(probe) ? "up" : "down"));
        boolean anyStore = checks.containsValue("up");
        boolean known = knownEnvironments.getAsInt() > 0;
        Optional<String> load = loadProblem.get();

        Map<String, String> reasons = new LinkedHashMap<>();
        checks.forEach((name, state) -> {
            if (state.equals("down")) {
                reasons.put(name, "does not answer");
            }
        });
        load.ifPresent(problem -> reasons.put("initial-load", problem));
        boolean loopDead = false;
        for (Loop loop : loops) {
            Optional<String> problem = loop.readyProblem();
            problem.ifPresent(p -> reasons.put(loop.name(), p));
            loopDead |= loop.liveProblem().isPresent();
        }

        String status;
        if (loopDead || (!anyStore && !known)) {
            status = "down";
        } else if (load.isPresent() && !known) {
            status = "starting";
        } else {
            status = reasons.isEmpty() ? "up" : "degraded";
        }
        if (!anyStore && known) {
            reasons.put("serving", "last known good copies of " + knownEnvironments.getAsInt() + " environment(s), as stale");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("checks", checks);
        body.put("reasons", reasons);
        body.put("loops", states(Loop::readyProblem));
        boolean serving = status.equals("up") || status.equals("degraded");
        return new Report(serving ? 200 : 503, body);
    }

    private Map<String, String> states(Function<Loop, Optional<String>> problem) {
        Map<String, String> states = new LinkedHashMap<>();
        loops.forEach(loop -> states.put(loop.name(), problem.apply(loop).orElse("ok")));
        return states;
    }

    private static boolean probe(BooleanSupplier probe) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
