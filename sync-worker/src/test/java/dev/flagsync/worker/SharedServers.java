package dev.flagsync.worker;

import dev.flagsync.localstack.Kafka;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;

/**
 * One PostgreSQL, one Redis and one Kafka for the whole test JVM, started when a test first asks
 * and stopped when the JVM exits (the embedded servers' shutdown hook). Starting the three takes
 * several seconds, which every test class used to pay; each class now only creates its own
 * database, slot, topics and Redis database on them ({@link Stack}).
 */
final class SharedServers {

    private static Postgres postgres;
    private static Redis redis;
    private static Kafka kafka;
    private static int redisDatabases;

    private SharedServers() {
    }

    static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = Servers.postgres();
        }
        return postgres;
    }

    static synchronized Redis redis() {
        if (redis == null) {
            redis = Servers.redis();
        }
        return redis;
    }

    static synchronized Kafka kafka() {
        if (kafka == null) {
            kafka = Servers.kafka();
        }
        return kafka;
    }

    /** Redis databases 1-15 in turn (0 is what a client without /db uses), so classes never read each other's keys. */
    static synchronized int nextRedisDatabase() {
        return 1 + redisDatabases++ % 15;
    }
}
