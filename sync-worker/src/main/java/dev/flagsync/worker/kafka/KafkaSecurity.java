package dev.flagsync.worker.kafka;

import dev.flagsync.shared.config.ConfigException;
import dev.flagsync.shared.config.Env;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * How the worker reaches Kafka: plain, TLS, or TLS with SASL credentials (what MSK's SASL/SCRAM
 * listener needs). The same settings go to every producer, consumer and admin client and to
 * Debezium's Kafka offset store, so no client is left on a listener the others cannot use.
 * {@link #toString()} never shows the password.
 */
public record KafkaSecurity(String protocol, String mechanism, String username, String password, String caFile) {

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_SSL");
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");
    private static final List<String> SASL_VARIABLES = List.of("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME",
            "KAFKA_SASL_PASSWORD");

    public static KafkaSecurity from(Env env) {
        String protocol = env.optional("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new ConfigException("KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL or SASL_SSL"
                    + (protocol.equals("SASL_PLAINTEXT") ? " (SASL_PLAINTEXT would send the credentials unencrypted)" : ""));
        }
        String caFile = env.optional("KAFKA_SSL_CA_FILE", null);
        if (caFile != null && protocol.equals("PLAINTEXT")) {
            throw new ConfigException("KAFKA_SSL_CA_FILE is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT; use SSL or SASL_SSL");
        }
        if (!protocol.equals("SASL_SSL")) {
            for (String name : SASL_VARIABLES) {
                if (env.optional(name, null) != null) {
                    throw new ConfigException(name + " is set but KAFKA_SECURITY_PROTOCOL is " + protocol
                            + "; SASL credentials need KAFKA_SECURITY_PROTOCOL=SASL_SSL");
                }
            }
            return new KafkaSecurity(protocol, null, null, null, caFile);
        }
        String mechanism = env.optional("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512").toUpperCase(Locale.ROOT);
        if (!LOGIN_MODULES.containsKey(mechanism)) {
            throw new ConfigException("KAFKA_SASL_MECHANISM must be SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN");
        }
        return new KafkaSecurity(protocol, mechanism, requiredForSasl(env, "KAFKA_SASL_USERNAME"),
                requiredForSasl(env, "KAFKA_SASL_PASSWORD"), caFile);
    }

    private static String requiredForSasl(Env env, String name) {
        String value = env.optional(name, null);
        if (value == null) {
            throw new ConfigException(name + " is required when KAFKA_SECURITY_PROTOCOL is SASL_SSL");
        }
        return value;
    }

    /** Kafka client settings; the JVM's default trust store verifies the brokers unless a CA file is given. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", protocol);
        if (caFile != null) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", caFile);
        }
        if (mechanism != null) {
            p.put("sasl.mechanism", mechanism);
            p.put("sasl.jaas.config", LOGIN_MODULES.get(mechanism) + " required username=\"" + quoted(username)
                    + "\" password=\"" + quoted(password) + "\";");
        }
        return p;
    }

    public void applyTo(Map<String, Object> clientProps) {
        clientProps.putAll(clientProperties());
    }

    public void applyTo(Properties debeziumProps) {
        debeziumProps.putAll(clientProperties());
    }

    /** JAAS options are double-quoted strings in which backslash escapes. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + protocol + (mechanism == null ? "" : ", " + mechanism + ", user=" + username + ", password=***")
                + (caFile == null ? "" : ", ca=" + caFile) + "]";
    }
}
