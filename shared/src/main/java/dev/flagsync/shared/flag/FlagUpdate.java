package dev.flagsync.shared.flag;

/**
 * The body of an admin create-or-replace: fields left out take the column defaults
 * (disabled, rollout 100, no description), as with a plain SQL insert.
 */
public record FlagUpdate(boolean enabled, int rolloutPercentage, String description) {

    public static final int MAX_DESCRIPTION_LENGTH = 4096;

    public FlagUpdate {
        if (rolloutPercentage < 0 || rolloutPercentage > 100) {
            throw new InvalidFlagException("rolloutPercentage must be between 0 and 100, was " + rolloutPercentage);
        }
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidFlagException("description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
    }
}
