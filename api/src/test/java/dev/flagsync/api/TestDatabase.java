package dev.flagsync.api;

import dev.flagsync.localstack.Postgres;
import dev.flagsync.shared.db.JooqFlagStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A test's hands on its database, as any other client would have them (psql, an admin tool):
 * plain SQL, the environment versions the triggers keep, and the store the sync worker reads.
 */
public final class TestDatabase {

    private final Postgres postgres;
    private final JooqFlagStore store;

    public TestDatabase(Postgres postgres) {
        this.postgres = postgres;
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.user());
        dataSource.setPassword(postgres.password());
        this.store = new JooqFlagStore(dataSource);
    }

    /** Runs one statement in its own connection and transaction (autocommit). */
    public void sql(String statement) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment's version as the triggers keep it; 0 if never written. */
    public long version(String environment) {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT version FROM flag_environment_versions WHERE environment = '"
                     + environment.replace("'", "''") + "'")) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store the sync worker loads from, for tests that do its job. */
    public JooqFlagStore store() {
        return store;
    }

    /** A connection of the test's own (autocommit), for a writer that must not pay a connect per statement. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
}
