package dev.flagsync.api.access;

import dev.flagsync.api.Api;
import dev.flagsync.api.ApiConfig;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.config.Env;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Tokens made the way an operator makes them in psql, and further API instances on a fixture's stores. */
public final class TestTokens {

    private TestTokens() {
    }

    /** Calls flagsync_create_token; {@code environments} "*" alone means every environment. Returns the secret. */
    public static String create(ApiFixture fixture, String name, String type, String... environments) {
        try (Connection c = DriverManager.getConnection(fixture.postgres.jdbcUrl(), fixture.postgres.user(),
                fixture.postgres.password());
             PreparedStatement s = c.prepareStatement("SELECT secret FROM flagsync_create_token(?, ?, ?)")) {
            s.setString(1, name);
            s.setString(2, type);
            s.setArray(3, c.createArrayOf("text", environments));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another API instance on the fixture's PostgreSQL and Redis, with some settings changed. */
    public static Api secondApi(ApiFixture fixture, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(fixture.env);
        env.putAll(overrides);
        return Api.start(ApiConfig.from(new Env(env)));
    }
}
