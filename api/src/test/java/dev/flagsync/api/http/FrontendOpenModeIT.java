package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.api.ApiFixture;
import dev.flagsync.api.access.TestTokens;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The frontend API in READ_ACCESS=open (the default): anonymous callers read DEFAULT_ENVIRONMENT
 * or X-Flag-Environment, a token chooses its own environment, and a token that does not
 * authenticate is refused (401) rather than read as anonymous, which would serve another
 * environment's toggles, as on the Unleash client API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontendOpenModeIT {

    private static final String DEFAULT = "frontend-open-default";
    private static final String OTHER = "frontend-open-other";

    private ApiFixture fixture;
    private String frontend;

    @BeforeAll
    void start() {
        fixture = new ApiFixture(Map.of("DEFAULT_ENVIRONMENT", DEFAULT));
        fixture.sql("INSERT INTO feature_flags (environment, flag_key, enabled, strategies) VALUES "
                + "('" + DEFAULT + "', 'in-default', true, '[]'), ('" + OTHER + "', 'in-other', true, '[]')");
        frontend = TestTokens.create(fixture, "web-other", "frontend", OTHER);
        await().atMost(Duration.ofSeconds(5)).until(() -> fixture.get("/api/frontend", "authorization", frontend)
                .body().contains("in-other"));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void anonymousCallersReadTheDefaultOrTheNamedEnvironment() {
        assertThat(fixture.get("/api/frontend?userId=u").body()).isEqualTo("{\"toggles\":[{\"name\":\"in-default\","
                + "\"enabled\":true,\"variant\":{\"name\":\"disabled\",\"enabled\":false,\"feature_enabled\":true,"
                + "\"featureEnabled\":true},\"impressionData\":false}]}");
        assertThat(fixture.get("/api/frontend?userId=u", "X-Flag-Environment", OTHER).body()).contains("in-other")
                .doesNotContain("in-default");
    }

    @Test
    void aTokenChoosesItsEnvironment() {
        assertThat(fixture.get("/api/frontend?userId=u", "authorization", frontend).body()).contains("in-other")
                .doesNotContain("in-default");
    }

    @Test
    void aTokenThatDoesNotAuthenticateIsRefusedNotReadAsAnonymous() {
        assertThat(fixture.get("/api/frontend?userId=u", "authorization", "frontend:frontend-open-other.revoked-or-mistyped")
                .statusCode()).isEqualTo(401);
        assertThat(fixture.get("/api/frontend?userId=u", "authorization", "frontend:x.wrong").statusCode()).isEqualTo(401);
    }
}
