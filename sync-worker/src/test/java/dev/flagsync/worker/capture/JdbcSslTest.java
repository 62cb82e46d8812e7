package dev.flagsync.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcSslTest {

    @Test
    void sslmodeAndRootCertReachDebezium() {
        assertThat(JdbcSsl.debeziumProperties(
                "jdbc:postgresql://db:5432/flags?ApplicationName=x&sslmode=verify-full&sslrootcert=%2Fcerts%2Frds%20ca.pem"))
                .containsExactly(Map.entry("database.sslmode", "verify-full"),
                        Map.entry("database.sslrootcert", "/certs/rds ca.pem"));
    }

    @Test
    void noTlsParametersLeaveDebeziumAtItsDefault() {
        assertThat(JdbcSsl.debeziumProperties("jdbc:postgresql://db:5432/flags")).isEmpty();
        assertThat(JdbcSsl.debeziumProperties("jdbc:postgresql://db:5432/flags?ApplicationName=x")).isEmpty();
    }

    @Test
    void sslTrueWithoutSslmodeMeansVerifyFullAsInPgjdbc() {
        assertThat(JdbcSsl.debeziumProperties("jdbc:postgresql://db/flags?ssl=true"))
                .containsExactly(Map.entry("database.sslmode", "verify-full"));
        assertThat(JdbcSsl.debeziumProperties("jdbc:postgresql://db/flags?ssl=true&sslmode=require"))
                .containsExactly(Map.entry("database.sslmode", "require"));
    }

    @Test
    void unknownSslmodeIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> JdbcSsl.debeziumProperties("jdbc:postgresql://db/flags?sslmode=on"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_URL").hasMessageContaining("verify-full");
    }
}
