package dev.flagsync.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.api.ApiFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With neither store reachable and nothing known, the frontend API answers 503 with Retry-After,
 * never 401: the browser SDK keeps its last toggles and polls again either way, but a 401 would
 * tell the operator the token is wrong when it is not.
 */
class FrontendUnavailableIT {

    private static final String READ_TOKEN = "frontend-unavailable-read-0123456789";

    private static ApiFixture open;
    private static ApiFixture tokens;

    @BeforeAll
    static void start() {
        open = ApiFixture.withUnreachableStores(Map.of("MEMORY_CACHE_TTL_MS", "0", "DEFAULT_ENVIRONMENT", "fe-never-read"));
        tokens = ApiFixture.withUnreachableStores(Map.of("MEMORY_CACHE_TTL_MS", "0", "READ_TOKENS", READ_TOKEN,
                "DEFAULT_ENVIRONMENT", "fe-never-read"));
    }

    @AfterAll
    static void stop() {
        open.close();
        tokens.close();
    }

    private static void assertUnavailable(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("\"error\":\"" + code + "\"");
    }

    @Test
    void storesThatCannotAnswerAre503() {
        assertUnavailable(open.get("/api/frontend?userId=u"), "unavailable");
        // A valid (bootstrap) token: the refusal is about the stores, not about the caller.
        assertUnavailable(tokens.get("/api/frontend?userId=u", "authorization", READ_TOKEN), "unavailable");
    }

    @Test
    void aTokenThatCannotBeCheckedYetIs503Not401() {
        // Frontend tokens live in PostgreSQL, which never answered: unknown, not wrong.
        assertUnavailable(tokens.get("/api/frontend?userId=u", "authorization", "some-frontend-token-0123456789"),
                "tokens_unavailable");
    }
}
