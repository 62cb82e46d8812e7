package dev.flagsync.localstack;

/** Placeholder until the Testcontainers backend lands. */
public final class ContainerServers {

    private ContainerServers() {
    }

    public static Postgres postgres() {
        throw notYet();
    }

    public static Redis redis() {
        throw notYet();
    }

    public static Kafka kafka() {
        throw notYet();
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("the containers backend is not written yet; use -D"
                + Servers.BACKEND_PROPERTY + "=embedded");
    }
}
