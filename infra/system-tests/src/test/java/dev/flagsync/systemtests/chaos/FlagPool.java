package dev.flagsync.systemtests.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The flags of one environment as its only writer knows them, and the next change to make:
 * mostly UPDATEs, with INSERTs and DELETEs that keep between {@value #MIN} and {@value #MAX}
 * flags. Every change writes a description no other change uses.
 */
final class FlagPool {

    static final int SEEDED = 10;
    private static final int MIN = 5;
    private static final int MAX = 30;

    /** One change to make; {@link #prepare} binds it to a statement. */
    record Change(Kind kind, String environment, String key, String description, boolean enabled, int rollout) {
        PreparedStatement prepare(Connection connection) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(kind.sql);
            switch (kind) {
                case UPDATE -> bind(statement, enabled, rollout, description, environment, key);
                case INSERT -> bind(statement, environment, key, enabled, rollout, description);
                case DELETE -> bind(statement, environment, key);
            }
            return statement;
        }

        private static void bind(PreparedStatement statement, Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
        }
    }

    enum Kind {
        UPDATE("UPDATE feature_flags SET enabled = ?, rollout_percentage = ?, description = ?"
                + " WHERE environment = ? AND flag_key = ?"),
        INSERT("INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage, description)"
                + " VALUES (?, ?, ?, ?, ?)"),
        DELETE("DELETE FROM feature_flags WHERE environment = ? AND flag_key = ?");

        final String sql;

        Kind(String sql) {
            this.sql = sql;
        }
    }

    final String environment;
    private final TreeSet<String> live = new TreeSet<>();
    private final Random random = new Random();
    private long sequence;

    FlagPool(String environment) {
        this.environment = environment;
    }

    /** The seed rows for an environment, written before anything starts. */
    static String seedSql(String environment) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < SEEDED; i++) {
            rows.add("('" + environment + "', '" + key(i) + "', " + (i % 2 == 0) + ", 100, 'seed')");
        }
        return "INSERT INTO feature_flags (environment, flag_key, enabled, rollout_percentage, description) VALUES "
                + String.join(", ", rows);
    }

    /** Reads the environment's flags again, after a connection was lost in the middle of a change. */
    void reload(Connection connection) throws SQLException {
        live.clear();
        try (PreparedStatement query = connection.prepareStatement("SELECT flag_key FROM feature_flags WHERE environment = ?")) {
            query.setString(1, environment);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    live.add(result.getString(1));
                }
            }
        }
    }

    Change next() {
        int roll = random.nextInt(10);
        Kind kind = live.size() <= MIN ? Kind.INSERT
                : live.size() >= MAX ? (roll < 7 ? Kind.UPDATE : Kind.DELETE)
                : roll < 6 ? Kind.UPDATE : roll < 8 ? Kind.INSERT : Kind.DELETE;
        String key = kind == Kind.INSERT ? absentKey() : presentKey();
        return new Change(kind, environment, key, environment + " change " + ++sequence, random.nextBoolean(),
                random.nextInt(101));
    }

    /** Called once the change is known to be committed. */
    void applied(Change change) {
        if (change.kind() == Kind.INSERT) {
            live.add(change.key());
        } else if (change.kind() == Kind.DELETE) {
            live.remove(change.key());
        }
    }

    private String presentKey() {
        return live.stream().skip(random.nextInt(live.size())).findFirst().orElseThrow();
    }

    private String absentKey() {
        while (true) {
            String key = key(random.nextInt(MAX + MIN));
            if (!live.contains(key)) {
                return key;
            }
        }
    }

    private static String key(int i) {
        return String.format("flag-%02d", i);
    }
}
