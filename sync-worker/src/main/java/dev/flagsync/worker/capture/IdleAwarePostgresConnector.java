package dev.flagsync.worker.capture;

import io.debezium.connector.postgresql.PostgresConnector;
import org.apache.kafka.connect.connector.Task;

/** Debezium's PostgreSQL connector with {@link IdleAwarePostgresTask} as its task. */
public class IdleAwarePostgresConnector extends PostgresConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return IdleAwarePostgresTask.class;
    }
}
