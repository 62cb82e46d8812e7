package dev.flagsync.api;

import dev.flagsync.localstack.Ports;
import dev.flagsync.localstack.Postgres;
import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import java.net.URI;
import redis.clients.jedis.Jedis;

/**
 * One embedded PostgreSQL and one Redis for the whole api test JVM, started on first use and
 * stopped by the local stack's shutdown hook. Each fixture gets a fresh database and a Redis
 * database index of its own (flushed first) as views that refuse stop() and start(): a test that
 * takes a store down must have its own server ({@link ApiFixture#withOwnRedis},
 * {@link ApiFixture#withOwnServers}), or it would break every class that runs after it.
 * Test classes run one after another in this JVM, so a Redis index is reused only once the
 * fixture that had it is closed; pub/sub channels are not per index, which is harmless because
 * no two fixtures' APIs are alive at once and environment names differ between classes.
 */
public final class TestServers {

    private static final int REDIS_DATABASES = 16; // redis-server's default number of databases
    private static Postgres postgres;
    private static Redis redis;
    private static int databases;
    private static int redisDatabases;

    private TestServers() {
    }

    /** A fresh database on the shared PostgreSQL. */
    public static synchronized Postgres freshDatabase() {
        if (postgres == null) {
            postgres = Servers.postgres();
        }
        String name = "api_it_" + (++databases);
        return new SharedPostgres(postgres, postgres.createDatabase(name));
    }

    /** An emptied Redis database index on the shared Redis. */
    public static synchronized Redis freshRedisDatabase() {
        if (redis == null) {
            redis = Servers.redis();
        }
        int index = (++redisDatabases) % REDIS_DATABASES;
        String url = redis.url() + "/" + index;
        try (Jedis jedis = new Jedis(URI.create(url))) {
            jedis.flushDB();
        }
        return new SharedRedis(redis, url);
    }

    /** A PostgreSQL address nothing listens on, for an API started with the database unreachable. */
    static Postgres unreachablePostgres() {
        return new SharedPostgres(null, "jdbc:postgresql://127.0.0.1:" + Ports.free() + "/flagsync");
    }

    static Redis unreachableRedis() {
        int port = Ports.free();
        return new SharedRedis(null, "redis://127.0.0.1:" + port);
    }

    private static UnsupportedOperationException shared(String what) {
        return new UnsupportedOperationException(what + " is shared by every api test class in this JVM (or unreachable on"
                + " purpose) and cannot be stopped or started: use ApiFixture.withOwnRedis or withOwnServers");
    }

    /** A database on the shared server; {@code server} is null for an address nothing listens on. */
    private record SharedPostgres(Postgres server, String jdbcUrl) implements Postgres {
        public String user() { return server == null ? "flagsync" : server.user(); }
        public String password() { return server == null ? "flagsync" : server.password(); }
        public int port() { return URI.create(jdbcUrl.substring(5)).getPort(); }
        public String createDatabase(String name) { return server.createDatabase(name); }
        public void stop() { throw shared("PostgreSQL"); }
        public void start() { throw shared("PostgreSQL"); }
        public boolean isRunning() { return server != null && server.isRunning(); }
        public void close() { } // the server outlives the fixture
    }

    private record SharedRedis(Redis server, String url) implements Redis {
        public int port() { return URI.create(url).getPort(); }
        public void stop() { throw shared("Redis"); }
        public void start() { throw shared("Redis"); }
        public boolean isRunning() { return server != null && server.isRunning(); }
        public void close() { } // the server outlives the fixture
    }
}
