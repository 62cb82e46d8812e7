package dev.flagsync.api.unleash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.InvalidFlagException;
import dev.flagsync.shared.flag.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Unleash server SDKs report on {@code /api/client/register} and {@code /api/client/metrics},
 * as Prometheus counters:
 * <ul>
 *   <li>{@code flagsync_unleash_evaluations_total{environment, flag, result}}: result
 *       {@code enabled} or {@code disabled}, from each bucket's {@code yes} and {@code no};</li>
 *   <li>{@code flagsync_unleash_variants_total{environment, flag, variant}} from its {@code variants};</li>
 *   <li>{@code flagsync_unleash_registrations_total{environment}} and
 *       {@code flagsync_unleash_metrics_reports_total{environment}}.</li>
 * </ul>
 * Flag and variant names come from clients, so they are bounded: a flag the environment does not
 * have is counted as {@code flag="_unknown"}, a variant the flag does not define as
 * {@code variant="_other"}, and once {@link #MAX_SERIES} evaluation and variant series exist, new
 * ones are counted as {@code flag="_overflow"} (by result; variants as {@code variant="_overflow"}),
 * and {@code flagsync_unleash_metrics_overflow_total} rises, so a client cannot grow the scrape
 * without limit: at most MAX_SERIES plus three overflow series per environment.
 */
public final class SdkMetrics {

    /** Most evaluation and variant series this instance creates (documented in docs/sdks.md). */
    public static final int MAX_SERIES = 10_000;
    static final String UNKNOWN_FLAG = "_unknown";
    static final String OTHER_VARIANT = "_other";
    static final String OVERFLOW = "_overflow";

    private final MeterRegistry registry;
    private final int maxSeries;
    private final Map<String, Counter> series = new ConcurrentHashMap<>();
    private final Counter overflow;

    public SdkMetrics(MeterRegistry registry) {
        this(registry, MAX_SERIES);
    }

    /** With another bound than {@link #MAX_SERIES}, for tests. */
    SdkMetrics(MeterRegistry registry, int maxSeries) {
        this.registry = registry;
        this.maxSeries = maxSeries;
        this.overflow = Counter.builder("flagsync.unleash.metrics.overflow")
                .description("SDK-reported counts recorded under flag=_overflow because the series bound was reached")
                .register(registry);
    }

    /** {@code POST /api/client/register}: the body must be a JSON object; its content is not kept. */
    public void registered(String environment, JsonNode body) {
        requireObject(body, "register body");
        Counter.builder("flagsync.unleash.registrations").description("Unleash SDK registrations")
                .tag("environment", environment).register(registry).increment();
    }

    /**
     * {@code POST /api/client/metrics}: adds the bucket's counts. The whole body is checked before
     * anything is counted, so a refused body (400) counts nothing.
     */
    public void reported(Snapshot snapshot, JsonNode body) {
        requireObject(body, "metrics body");
        JsonNode toggles = body.path("bucket").path("toggles");
        if (!toggles.isObject()) {
            throw new InvalidFlagException("metrics body needs bucket.toggles, an object of {yes, no, variants} by flag name");
        }
        toggles.properties().forEach(entry -> check(entry.getKey(), entry.getValue()));
        String environment = snapshot.environment();
        Counter.builder("flagsync.unleash.metrics.reports").description("Unleash SDK metrics reports")
                .tag("environment", environment).register(registry).increment();
        Map<String, Flag> flags = new HashMap<>();
        snapshot.flags().forEach(flag -> flags.put(flag.key(), flag));
        toggles.properties().forEach(entry -> {
            Flag flag = flags.get(entry.getKey());
            String name = flag == null ? UNKNOWN_FLAG : flag.key();
            JsonNode counts = entry.getValue();
            add(environment, name, "result", "enabled", counts.path("yes").asLong(0));
            add(environment, name, "result", "disabled", counts.path("no").asLong(0));
            if (counts.path("variants").isObject()) {
                Set<String> defined = flag == null ? Set.of() : variantNames(flag);
                counts.get("variants").properties().forEach(variant -> add(environment, name, "variant",
                        defined.contains(variant.getKey()) ? variant.getKey() : OTHER_VARIANT, variant.getValue().asLong()));
            }
        });
    }

    private static void check(String flag, JsonNode counts) {
        if (!counts.isObject()) {
            throw new InvalidFlagException("bucket.toggles[\"" + shown(flag) + "\"] must be an object");
        }
        for (String field : new String[] {"yes", "no"}) {
            if (counts.has(field) && !count(counts.get(field))) {
                throw new InvalidFlagException("bucket.toggles[\"" + shown(flag) + "\"]." + field + " must be a whole number >= 0");
            }
        }
        JsonNode variants = counts.get("variants");
        if (variants != null && !variants.isNull()) {
            if (!variants.isObject()) {
                throw new InvalidFlagException("bucket.toggles[\"" + shown(flag) + "\"].variants must be an object");
            }
            variants.properties().forEach(variant -> {
                if (!count(variant.getValue())) {
                    throw new InvalidFlagException("bucket.toggles[\"" + shown(flag) + "\"].variants must hold whole numbers >= 0");
                }
            });
        }
    }

    private static boolean count(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0;
    }

    private void add(String environment, String flag, String labelName, String label, long amount) {
        if (amount <= 0) {
            return;
        }
        String meter = labelName.equals("result") ? "flagsync.unleash.evaluations" : "flagsync.unleash.variants";
        String id = meter + '\0' + environment + '\0' + flag + '\0' + label;
        Counter counter = series.get(id);
        if (counter == null) {
            if (series.size() >= maxSeries) {
                overflow.increment(amount);
                // Results stay apart (enabled/disabled); variant names do not.
                String overflowLabel = labelName.equals("result") ? label : OVERFLOW;
                counter = series.computeIfAbsent(meter + '\0' + environment + '\0' + OVERFLOW + '\0' + overflowLabel,
                        k -> counter(meter, environment, OVERFLOW, labelName, overflowLabel));
            } else {
                counter = series.computeIfAbsent(id, k -> counter(meter, environment, flag, labelName, label));
            }
        }
        counter.increment(amount);
    }

    private Counter counter(String meter, String environment, String flag, String labelName, String label) {
        return Counter.builder(meter)
                .description(meter.endsWith("variants") ? "Variants Unleash SDKs report having returned"
                        : "Evaluations Unleash SDKs report, by result")
                .tag("environment", environment).tag("flag", flag).tag(labelName, label)
                .register(registry);
    }

    private static Set<String> variantNames(Flag flag) {
        Set<String> names = new HashSet<>();
        collect(flag.variants(), names);
        if (flag.strategies() != null && flag.strategies().isArray()) {
            flag.strategies().forEach(strategy -> collect(strategy.get("variants"), names));
        }
        names.add("disabled"); // what SDKs report when no variant applies
        return names;
    }

    private static void collect(JsonNode variants, Set<String> names) {
        if (variants != null && variants.isArray()) {
            variants.forEach(variant -> {
                if (variant.path("name").isTextual()) {
                    names.add(variant.get("name").textValue());
                }
            });
        }
    }

    private static void requireObject(JsonNode body, String what) {
        if (body == null || !body.isObject()) {
            throw new InvalidFlagException(what + " must be a JSON object");
        }
    }

    private static String shown(String name) {
        return (name.length() > 60 ? name.substring(0, 60) + "..." : name).replaceAll("\\p{Cntrl}", "?");
    }
}
