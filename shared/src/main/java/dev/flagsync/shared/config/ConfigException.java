package dev.flagsync.shared.config;

/** A missing or malformed configuration value; the message names the variable. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
