package dev.flagsync.api.access;

import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.InvalidFlagException;
import java.time.Instant;
import java.util.List;

/** A validated request to create a token. {@code environments} is a list of names, or {@code ["*"]}. */
public record NewToken(String name, TokenType type, List<String> environments, Instant expiresAt) {

    public static final String ALL = "*";
    static final int MAX_ENVIRONMENTS = 100;

    public NewToken {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidFlagException("name must be 1 to 200 characters without control characters");
        }
        if (type == null) {
            throw new InvalidFlagException("type must be one of admin, server, frontend");
        }
        if (environments == null || environments.isEmpty() || environments.size() > MAX_ENVIRONMENTS) {
            throw new InvalidFlagException("environments must list 1 to " + MAX_ENVIRONMENTS + " environments, or be [\"*\"]");
        }
        environments = List.copyOf(environments);
        if (!environments.equals(List.of(ALL))) {
            for (String environment : environments) {
                if (!FlagNames.isEnvironment(environment)) {
                    throw new InvalidFlagException("environments: each must match ^[a-z0-9][a-z0-9_-]{0,62}$, or the list be [\"*\"]");
                }
            }
            environments = environments.stream().distinct().toList();
        }
    }

    public boolean allEnvironments() {
        return environments.equals(List.of(ALL));
    }
}
