package dev.flagsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerIT {

    private final Path dataDir = Directories.createTemp("flagsync-pg-it-");
    private final EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startOn(Ports.free(), dataDir);

    @AfterEach
    void closeServer() {
        postgres.close();
    }

    @Test
    void acceptsTheFlagsyncUserWithLogicalDecodingOn() throws SQLException {
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/flagsync");
        assertThat(query(postgres.jdbcUrl(), "select 1")).isEqualTo("1");
        assertThat(query(postgres.jdbcUrl(), "show wal_level")).isEqualTo("logical");
        assertThat(query(postgres.jdbcUrl(), "show server_version")).startsWith("15.");
        assertThat(query(postgres.jdbcUrl(), "select rolreplication from pg_roles where rolname = current_user"))
                .isEqualTo("t");
    }

    @Test
    void rejectsAWrongPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void createsADatabaseOwnedByTheFlagsyncUser() throws SQLException {
        String url = postgres.createDatabase("it_created");

        assertThat(query(url, "select current_database()")).isEqualTo("it_created");
        assertThat(query(url, "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"))
                .isEqualTo("flagsync");
    }

    @Test
    void keepsPortAndDataAcrossStopAndStart() throws SQLException {
        execute("create table survivor (id int)");
        execute("insert into survivor values (42)");

        postgres.stop();
        assertThat(postgres.isRunning()).isFalse();
        assertThatThrownBy(() -> query(postgres.jdbcUrl(), "select 1")).isInstanceOf(SQLException.class);

        postgres.start();
        assertThat(postgres.isRunning()).isTrue();
        assertThat(query(postgres.jdbcUrl(), "select id from survivor")).isEqualTo("42");
    }

    @Test
    void closeDeletesTheDataFolder() {
        postgres.close();

        assertThat(postgres.isRunning()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, postgres.user(), postgres.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
