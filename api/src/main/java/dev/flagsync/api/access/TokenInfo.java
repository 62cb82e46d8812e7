package dev.flagsync.api.access;

import java.time.Instant;
import java.util.List;

/** A stored token as admins see it: never its secret or the secret's hash. {@code ["*"]}: every environment. */
public record TokenInfo(String id, String name, TokenType type, List<String> environments, Instant createdAt,
                        Instant expiresAt, Instant revokedAt) {
}
