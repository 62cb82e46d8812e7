package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The switch other modules use: every call is a new server on its own free port. */
class ServersIT {

    @Test
    void givesEachCallerItsOwnPostgres() throws SQLException {
        try (Postgres first = Servers.postgres(); Postgres second = Servers.postgres()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password())) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void givesEachCallerItsOwnRedis() {
        try (Redis first = Servers.redis(); Redis second = Servers.redis()) {
            assertThat(first.port()).isNotEqualTo(second.port());
            try (RedisClient client = RedisClient.create(second.url())) {
                assertThat(client.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void givesEachCallerItsOwnKafka() throws Exception {
        try (Kafka first = Servers.kafka(); Kafka second = Servers.kafka()) {
            assertThat(first.bootstrapServers()).isNotEqualTo(second.bootstrapServers());
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
                assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    @Test
    void rejectsAnUnknownBackend() {
        String previous = System.getProperty(Servers.BACKEND_PROPERTY);
        System.setProperty(Servers.BACKEND_PROPERTY, "docker-compose");
        try {
            assertThatThrownBy(Servers::redis)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Servers.BACKEND_PROPERTY);
        } finally {
            if (previous == null) {
                System.clearProperty(Servers.BACKEND_PROPERTY);
            } else {
                System.setProperty(Servers.BACKEND_PROPERTY, previous);
            }
        }
    }
}
