package dev.flagsync.shared.flag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One feature flag of an environment, as readers see it. {@code strategies}, {@code variants} and
 * {@code dependencies} are Unleash's JSON exactly as stored (contract section 6), not interpreted
 * here: a row whose rules cannot be understood still makes a flag, and {@link RuleSources} reads
 * them leniently. They are left out of the JSON when unset, as is {@code impressionData} when
 * false, so a flag of the legacy model serialises as it always did. Treat the trees as read-only.
 */
@JsonPropertyOrder({"key", "enabled", "rolloutPercentage", "description", "updatedAt",
        "strategies", "variants", "dependencies", "impressionData"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Flag(
        String key,
        boolean enabled,
        int rolloutPercentage,
        String description,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode strategies,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode variants,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode dependencies,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean impressionData) {

    public Flag {
        FlagNames.requireKey(key);
        if (rolloutPercentage < 0 || rolloutPercentage > 100) {
            throw new InvalidFlagException("rolloutPercentage must be between 0 and 100, was " + rolloutPercentage);
        }
        strategies = copyOrNull(strategies);
        variants = copyOrNull(variants);
        dependencies = copyOrNull(dependencies);
    }

    /** A flag of the legacy model: on/off plus a percentage of targeting keys (contract section 4). */
    public Flag(String key, boolean enabled, int rolloutPercentage, String description, Instant updatedAt) {
        this(key, enabled, rolloutPercentage, description, updatedAt, null, null, null, false);
    }

    /** Whether the flag uses Unleash's rule model; without strategies it is enabled plus rolloutPercentage. */
    public boolean hasStrategies() {
        return strategies != null;
    }

    /** JSON null and absent mean the same: unset. */
    private static JsonNode copyOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.deepCopy();
    }
}
