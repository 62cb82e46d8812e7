package dev.flagsync.api;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the API process from environment variables; stops it cleanly on SIGTERM. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        ApiConfig config;
        try {
            config = ApiConfig.from(Env.system());
        } catch (ConfigException e) {
            System.err.println("flagsync-api: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("starting with {}", config);
        Api api;
        try {
            api = Api.start(config);
        } catch (ConfigException e) {
            // Found while starting, e.g. SNAPSHOT_BACKUP_DIR cannot be written.
            System.err.println("flagsync-api: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "shutdown"));
    }
}
