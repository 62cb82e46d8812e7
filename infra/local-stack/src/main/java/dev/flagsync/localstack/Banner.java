package dev.flagsync.localstack;

import java.time.Duration;

/** What bin/run-local prints once everything works: where to point a browser, curl and psql. */
record Banner(LocalStackOptions options, Postgres postgres, Redis redis, Kafka kafka, DatabaseSetup.DemoTokens tokens) {

    /** The line tests and scripts wait for; printed only when a change has been seen to reach the API. */
    static final String RUNNING = "flagsync is running";

    String running(Duration startup, Duration change) {
        String api = "http://127.0.0.1:" + options.http().port();
        String metrics = "http://127.0.0.1:" + options.workerMetrics().port();
        return """

                %s (ready %s after start; a change reached the API %d ms after its commit)
                  flags, development  %s/api/v1/environments/development/flags
                  flags, production   %s/api/v1/environments/production/flags
                  health              %s/health/ready
                  metrics             %s/metrics
                  admin token         %s   (Authorization: Bearer %s)
                  frontend token      %s   (OFREP and the frontend API, development and production)
                  server token        %s   (raw rules and SDKs, development and production)
                  database            %s
                  sync worker         Kafka %s, metrics %s/metrics, health %s/health/ready
                  stream              curl -N %s/api/v1/environments/production/flags/stream
                Ctrl-C stops everything and deletes the data.
                """.formatted(RUNNING, LocalStackMain.seconds(startup), change.toMillis(), api, api, api, api,
                LocalStackMain.ADMIN_TOKEN, LocalStackMain.ADMIN_TOKEN, tokens.frontend(), tokens.server(), psql(),
                kafka.bootstrapServers(), metrics, metrics, api);
    }

    String services(Duration startup) {
        return """

                flagsync servers are running (ready %s after start). Environment for an IDE run configuration:
                DATABASE_URL=%s
                DATABASE_USER=%s
                DATABASE_PASSWORD=%s
                REDIS_URL=%s
                KAFKA_BOOTSTRAP_SERVERS=%s
                HTTP_PORT=%d
                ADMIN_TOKENS=%s

                  frontend token  %s
                  server token    %s
                  database  %s
                Ctrl-C stops everything and deletes the data.
                """.formatted(LocalStackMain.seconds(startup), postgres.jdbcUrl(), postgres.user(), postgres.password(),
                redis.url(), kafka.bootstrapServers(), options.http().port(), LocalStackMain.ADMIN_TOKEN, tokens.frontend(),
                tokens.server(), psql());
    }

    private String psql() {
        return "psql postgresql://" + postgres.user() + ":" + postgres.password() + "@127.0.0.1:" + postgres.port() + "/flagsync";
    }
}
