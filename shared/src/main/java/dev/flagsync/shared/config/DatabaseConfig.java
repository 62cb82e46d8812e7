package dev.flagsync.shared.config;

/** Where PostgreSQL is. {@link #toString()} never shows the password. */
public record DatabaseConfig(String url, String user, String password) {

    public static DatabaseConfig from(Env env) {
        String url = env.required("DATABASE_URL");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new ConfigException("DATABASE_URL must start with jdbc:postgresql://");
        }
        return new DatabaseConfig(url, env.required("DATABASE_USER"), env.required("DATABASE_PASSWORD"));
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=***]";
    }
}
