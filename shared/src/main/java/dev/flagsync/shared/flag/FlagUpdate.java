package dev.flagsync.shared.flag;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of an admin create-or-replace: fields left out take the column defaults (disabled,
 * rollout 100, no description, no rules, no impression data), as with a plain SQL insert. The rule
 * fields are Unleash's JSON; the admin API validates them strictly before they get here.
 */
public record FlagUpdate(boolean enabled, int rolloutPercentage, String description,
                         JsonNode strategies, JsonNode variants, JsonNode dependencies, boolean impressionData) {

    public static final int MAX_DESCRIPTION_LENGTH = 4096;

    public FlagUpdate {
        if (rolloutPercentage < 0 || rolloutPercentage > 100) {
            throw new InvalidFlagException("rolloutPercentage must be between 0 and 100, was " + rolloutPercentage);
        }
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidFlagException("description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        strategies = unsetIfNull(strategies);
        variants = unsetIfNull(variants);
        dependencies = unsetIfNull(dependencies);
    }

    /** A flag of the legacy model: no rules. */
    public FlagUpdate(boolean enabled, int rolloutPercentage, String description) {
        this(enabled, rolloutPercentage, description, null, null, null, false);
    }

    private static JsonNode unsetIfNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.deepCopy();
    }
}
