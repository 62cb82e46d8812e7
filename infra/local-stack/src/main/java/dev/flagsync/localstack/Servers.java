package dev.flagsync.localstack;

import java.util.Locale;

/**
 * Where integration tests get their servers. Each call starts a new server on a free port, owned
 * (and closed) by the caller. The system property {@value #BACKEND_PROPERTY} picks the backend:
 * {@code embedded} (default, no Docker needed) or {@code containers} (Testcontainers).
 */
public final class Servers {

    /** System property naming the backend; Failsafe sets it from the Maven property of the same name. */
    public static final String BACKEND_PROPERTY = "flagsync.it.backend";

    private Servers() {
    }

    public static Postgres postgres() {
        return containers() ? ContainerServers.postgres() : EmbeddedPostgresServer.startOnFreePort();
    }

    public static Redis redis() {
        return containers() ? ContainerServers.redis() : EmbeddedRedisServer.startOnFreePort();
    }

    public static Kafka kafka() {
        return containers() ? ContainerServers.kafka() : EmbeddedKafkaServer.startOnFreePort();
    }

    private static boolean containers() {
        String backend = System.getProperty(BACKEND_PROPERTY, "embedded").trim().toLowerCase(Locale.ROOT);
        return switch (backend) {
            case "", "embedded" -> false;
            case "containers" -> true;
            default -> throw new IllegalArgumentException(
                    BACKEND_PROPERTY + " must be embedded or containers, was: " + backend);
        };
    }
}
