package dev.flagsync.api.rules;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flagsync.evaluator.Problem;
import dev.flagsync.shared.flag.Snapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles each environment version's rules once and keeps them, keyed by environment and
 * version (versions only rise, so a key always means the same rules), so no request compiles.
 * Each compilation logs the flags and segments whose JSON could not be read, once per version,
 * and sets {@code flagsync_rules_unreadable{environment,kind}} to how many there are.
 */
public final class RulesCache {

    private static final Logger LOG = LoggerFactory.getLogger(RulesCache.class);
    private static final int WARNINGS_LOGGED = 5;

    private record Key(String environment, long version) {
    }

    private final Cache<Key, SnapshotRules> compiled = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
    private final MeterRegistry metrics;
    private final Map<String, UnreadableGauge> unreadable = new ConcurrentHashMap<>();

    /** One gauge's value: the count in the newest version compiled, so an older copy compiled later cannot set it back. */
    private static final class UnreadableGauge {
        private final AtomicInteger count = new AtomicInteger();
        private long version = -1;

        synchronized void set(long atVersion, int value) {
            if (atVersion >= version) {
                version = atVersion;
                count.set(value);
            }
        }
    }

    public RulesCache(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Without metrics, for tests and tools. */
    public RulesCache() {
        this(new SimpleMeterRegistry());
    }

    /** The snapshot's compiled rules: compiled on the first call for its environment and version. */
    public SnapshotRules rules(Snapshot snapshot) {
        return compiled.get(new Key(snapshot.environment(), snapshot.version()), key -> compile(snapshot));
    }

    private SnapshotRules compile(Snapshot snapshot) {
        long started = System.nanoTime();
        SnapshotRules rules = new SnapshotRules(snapshot);
        List<Problem> problems = rules.rules().problems();
        for (Problem problem : problems) {
            LOG.warn("environment {} version {}: {} {} is served disabled, its rules cannot be read: {}: {}",
                    snapshot.environment(), snapshot.version(), kind(problem), problem.id(), problem.path(), problem.message());
        }
        List<Problem> warnings = rules.rules().warnings();
        if (!warnings.isEmpty()) {
            LOG.info("environment {} version {}: {} lenient decisions in its rules, e.g. {}", snapshot.environment(),
                    snapshot.version(), warnings.size(), warnings.subList(0, Math.min(WARNINGS_LOGGED, warnings.size())));
        }
        count(snapshot, Problem.Kind.FLAG, problems);
        count(snapshot, Problem.Kind.SEGMENT, problems);
        LOG.debug("compiled {} flags of {} version {} in {} µs", rules.rules().size(), snapshot.environment(),
                snapshot.version(), (System.nanoTime() - started) / 1_000);
        return rules;
    }

    private void count(Snapshot snapshot, Problem.Kind kind, List<Problem> problems) {
        String environment = snapshot.environment();
        String name = kind(kind);
        UnreadableGauge gauge = unreadable.computeIfAbsent(environment + '\n' + name, key -> {
            UnreadableGauge value = new UnreadableGauge();
            Gauge.builder("flagsync.rules.unreadable", value.count, AtomicInteger::get)
                    .description("Flags or segments whose stored rules cannot be read, in the newest version compiled")
                    .tag("environment", environment)
                    .tag("kind", name)
                    .register(metrics);
            return value;
        });
        gauge.set(snapshot.version(), (int) problems.stream().filter(problem -> problem.kind() == kind).count());
    }

    private static String kind(Problem problem) {
        return kind(problem.kind());
    }

    private static String kind(Problem.Kind kind) {
        return kind == Problem.Kind.FLAG ? "flag" : "segment";
    }
}
