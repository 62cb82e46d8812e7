package dev.flagsync.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.ApiFixture;
import dev.flagsync.shared.flag.FlagJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every change by any writer lands in the audit log with its actor, in the writing transaction. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIT {

    private static final String ADMIN = "Bearer " + ApiFixture.ADMIN_TOKEN;

    private ApiFixture fixture;

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of());
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return FlagJson.readTree(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode audit(String environment, String query) {
        HttpResponse<String> response = fixture.get("/api/v1/environments/" + environment + "/audit" + query, "Authorization", ADMIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** A write from "psql": its own connection with its own application name, outside the API. */
    private void psql(String... statements) {
        Properties properties = new Properties();
        properties.setProperty("user", fixture.postgres.user());
        properties.setProperty("password", fixture.postgres.password());
        properties.setProperty("ApplicationName", "psql");
        try (Connection c = DriverManager.getConnection(fixture.postgres.jdbcUrl(), properties);
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void apiWriteRecordsTheTokenAsActor() {
        fixture.put("/api/v1/environments/audit-api/flags/checkout", "{\"enabled\":true}", "Authorization", ADMIN);
        fixture.put("/api/v1/environments/audit-api/flags/checkout", "{\"enabled\":false}", "Authorization", ADMIN);

        JsonNode entries = audit("audit-api", "").get("entries");
        assertThat(entries).hasSize(2);
        JsonNode update = entries.get(0);
        assertThat(update.get("operation").asText()).isEqualTo("UPDATE");
        assertThat(update.get("key").asText()).isEqualTo("checkout");
        assertThat(update.get("environment").asText()).isEqualTo("audit-api");
        assertThat(update.get("before").get("enabled").asBoolean()).isTrue();
        assertThat(update.get("after").get("enabled").asBoolean()).isFalse();
        assertThat(update.get("txId").asLong()).isPositive();
        assertThat(update.get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode actor = update.get("actor");
        assertThat(actor.get("token").asText()).isEqualTo("ADMIN_TOKENS#1");
        assertThat(actor.get("user").asText()).isEqualTo(fixture.postgres.user());
        assertThat(actor.get("application").asText()).isEqualTo("flagsync-api");
        assertThat(entries.get(1).get("operation").asText()).isEqualTo("INSERT");
        assertThat(entries.get(1).get("before").isNull()).isTrue();
    }

    @Test
    void storedAdminTokenIsNamedAndDeleteKeepsTheBeforeImage() {
        String ops = TestTokens.create(fixture, "ops-alice", "admin", "audit-token");
        await().atMost(Duration.ofSeconds(2)).until(() ->
                fixture.put("/api/v1/environments/audit-token/flags/f", "{}", "Authorization", ops).statusCode() == 200);
        assertThat(fixture.delete("/api/v1/environments/audit-token/flags/f", "Authorization", ops).statusCode()).isEqualTo(204);

        JsonNode delete = audit("audit-token", "").get("entries").get(0);
        assertThat(delete.get("operation").asText()).isEqualTo("DELETE");
        assertThat(delete.get("after").isNull()).isTrue();
        assertThat(delete.get("before").get("flag_key").asText()).isEqualTo("f");
        assertThat(delete.get("actor").get("token").asText()).isEqualTo("ops-alice");
        assertThat(delete.get("actor").get("tokenId").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void psqlWriteRecordsTheSessionUserApplicationAndAddress() {
        psql("INSERT INTO feature_flags (environment, flag_key, enabled) VALUES ('audit-psql', 'f', true)");

        JsonNode actor = audit("audit-psql", "").get("entries").get(0).get("actor");
        assertThat(actor.has("token")).isFalse();
        assertThat(actor.get("user").asText()).isEqualTo(fixture.postgres.user());
        assertThat(actor.get("application").asText()).isEqualTo("psql");
        assertThat(actor.get("address").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void aRolledBackWriteLeavesNoRow() {
        psql("BEGIN", "INSERT INTO feature_flags (environment, flag_key) VALUES ('audit-rollback', 'f')", "ROLLBACK");

        assertThat(audit("audit-rollback", "").get("entries")).isEmpty();
    }

    @Test
    void oneTransactionSharesOneTxIdAndAMovedRowIsInBothEnvironments() {
        psql("BEGIN", "INSERT INTO feature_flags (environment, flag_key) VALUES ('audit-tx', 'a'), ('audit-tx', 'b')",
                "UPDATE feature_flags SET environment = 'audit-moved' WHERE environment = 'audit-tx' AND flag_key = 'b'", "COMMIT");

        JsonNode here = audit("audit-tx", "").get("entries");
        JsonNode there = audit("audit-moved", "").get("entries");
        assertThat(here).hasSize(3);
        assertThat(there).hasSize(1);
        assertThat(there.get(0).get("operation").asText()).isEqualTo("UPDATE");
        assertThat(there.get(0).get("before").get("environment").asText()).isEqualTo("audit-tx");
        long txId = here.get(0).get("txId").asLong();
        here.forEach(entry -> assertThat(entry.get("txId").asLong()).isEqualTo(txId));
        assertThat(there.get(0).get("txId").asLong()).isEqualTo(txId);
    }

    @Test
    void pagesNewestFirstWithNextAndFiltersByFlag() {
        for (int i = 1; i <= 5; i++) {
            psql("INSERT INTO feature_flags (environment, flag_key, rollout_percentage) VALUES ('audit-pages', 'p', " + i * 10
                    + ") ON CONFLICT (environment, flag_key) DO UPDATE SET rollout_percentage = " + i * 10);
        }
        psql("INSERT INTO feature_flags (environment, flag_key) VALUES ('audit-pages', 'other')");

        List<Integer> rollouts = new ArrayList<>();
        String next = "";
        int pages = 0;
        while (next != null) {
            JsonNode page = audit("audit-pages", "?flag=p&limit=2" + (next.isEmpty() ? "" : "&before=" + next));
            page.get("entries").forEach(entry -> rollouts.add(entry.get("after").get("rollout_percentage").asInt()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        }
        assertThat(rollouts).containsExactly(50, 40, 30, 20, 10);
        assertThat(pages).isEqualTo(3);
        assertThat(audit("audit-pages", "?limit=1").get("entries").get(0).get("key").asText()).isEqualTo("other");
        assertThat(audit("audit-pages", "?before=2000-01-01T00:00:00Z").get("entries")).isEmpty();
    }

    @Test
    void tokenChangesAreAuditedWithoutTheirHash() {
        HttpResponse<String> created = fixture.send(HttpRequest.newBuilder(fixture.uri("/api/v1/tokens"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"audited\",\"type\":\"frontend\",\"environments\":[\"web\"]}")),
                "Authorization", ADMIN);
        String id = json(created).get("id").asText();
        fixture.delete("/api/v1/tokens/" + id, "Authorization", ADMIN);

        HttpResponse<String> all = fixture.get("/api/v1/audit?limit=500", "Authorization", ADMIN);
        List<JsonNode> mine = new ArrayList<>();
        json(all).get("entries").forEach(entry -> {
            if (id.equals(entry.path("key").asText())) {
                mine.add(entry);
            }
        });
        assertThat(mine).extracting(entry -> entry.get("operation").asText()).containsExactly("UPDATE", "INSERT");
        assertThat(mine.get(0).get("table").asText()).isEqualTo("api_tokens");
        assertThat(mine.get(0).get("after").get("revoked_at").isNull()).isFalse();
        assertThat(mine.get(0).get("actor").get("token").asText()).isEqualTo("ADMIN_TOKENS#1");
        assertThat(all.body()).doesNotContain("secret_hash").doesNotContain(json(created).get("secret").asText());
    }

    @Test
    void readingTheLogNeedsAnAdminToken() {
        String reader = TestTokens.create(fixture, "reader", "server", "*");
        assertThat(fixture.get("/api/v1/environments/audit-api/audit").statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(2)).until(() ->
                fixture.get("/api/v1/environments/audit-api/audit", "Authorization", reader).statusCode() == 403);
        assertThat(fixture.get("/api/v1/environments/audit-api/audit?limit=0", "Authorization", ADMIN).statusCode()).isEqualTo(400);
        assertThat(fixture.get("/api/v1/environments/audit-api/audit?before=yesterday", "Authorization", ADMIN).statusCode())
                .isEqualTo(400);
    }

    @Test
    void segmentWritesAreAuditedWithTheAdminTokenOrThePsqlSession() {
        fixture.put("/api/v1/environments/audit-segments/segments/5", "{\"name\":\"beta\",\"constraints\":[]}",
                "Authorization", ADMIN);
        fixture.put("/api/v1/environments/audit-segments/segments/5", "{\"name\":\"beta testers\",\"constraints\":"
                + "[{\"contextName\":\"plan\",\"operator\":\"IN\",\"values\":[\"beta\"]}]}", "Authorization", ADMIN);
        psql("DELETE FROM flag_segments WHERE environment = 'audit-segments' AND segment_id = 5");

        JsonNode entries = audit("audit-segments", "").get("entries");
        assertThat(entries).extracting(entry -> entry.get("operation").asText()).containsExactly("DELETE", "UPDATE", "INSERT");
        entries.forEach(entry -> {
            assertThat(entry.get("table").asText()).isEqualTo("flag_segments");
            assertThat(entry.get("key").asText()).isEqualTo("5");
        });
        JsonNode update = entries.get(1);
        assertThat(update.get("actor").get("token").asText()).isEqualTo("ADMIN_TOKENS#1");
        assertThat(update.get("before").get("name").asText()).isEqualTo("beta");
        assertThat(update.get("after").get("constraints").get(0).get("values").get(0).asText()).isEqualTo("beta");
        assertThat(entries.get(0).get("actor").get("application").asText()).isEqualTo("psql");
        assertThat(entries.get(0).get("actor").has("token")).isFalse();
        assertThat(audit("audit-segments", "?flag=5").get("entries")).hasSize(3);
    }
}
