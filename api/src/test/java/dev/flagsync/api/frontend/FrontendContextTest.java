package dev.flagsync.api.frontend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.evaluator.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The frontend context read from the browser SDK's query string and POST body, as Unleash's frontend API reads it. */
class FrontendContextTest {

    private static Context query(String... pairs) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.computeIfAbsent(pairs[i], name -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return FrontendContext.fromQuery(query).toContext("203.0.113.9", () -> "random-session");
    }

    private static Context body(String json) {
        return FrontendContext.fromBody(json.getBytes(StandardCharsets.UTF_8)).toContext("203.0.113.9", () -> "random-session");
    }

    @Test
    void readsTheSdksQueryWithBracketedProperties() {
        Context context = query("sessionId", "123", "appName", "web", "environment", "default", "userId", "42",
                "properties[country]", "no", "properties[plan]", "pro");

        assertThat(context.userId()).isEqualTo("42");
        assertThat(context.sessionId()).isEqualTo("123");
        assertThat(context.appName()).isEqualTo("web");
        assertThat(context.environment()).isEqualTo("default");
        assertThat(context.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("country", "no", "plan", "pro"));
    }

    @Test
    void unknownTopLevelFieldsBecomePropertiesAndBracketedOnesWin() {
        Context context = query("country", "se", "tier", "gold", "properties[country]", "no");

        assertThat(context.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("country", "no", "tier", "gold"));
    }

    @Test
    void propertyNamesKeepTheirBrackets() {
        assertThat(query("properties[a[0]]", "x").properties()).containsExactly(Map.entry("a[0]", "x"));
    }

    @Test
    void emptyPropertyNamesAndABarePropertiesParameterAreIgnored() {
        assertThat(query("properties[]", "x", "properties", "y").properties()).isEmpty();
    }

    @Test
    void fillsTheClientAddressAndARandomSessionWhenAbsent() {
        Context context = query("userId", "42");

        assertThat(context.remoteAddress()).isEqualTo("203.0.113.9");
        assertThat(context.sessionId()).isEqualTo("random-session");
    }

    @Test
    void keepsTheContextsOwnRemoteAddressAndCurrentTime() {
        Context context = query("remoteAddress", "10.0.0.1", "currentTime", "2026-01-01T00:00:00Z");

        assertThat(context.remoteAddress()).isEqualTo("10.0.0.1");
        assertThat(context.currentTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(context.currentInstant()).isNotNull();
    }

    @Test
    void emptyTopLevelFieldsAreAbsent() {
        Context context = query("userId", "", "sessionId", "");

        assertThat(context.userId()).isNull();
        assertThat(context.sessionId()).isEqualTo("random-session");
    }

    @Test
    void repeatedNamesAreJoinedWithCommas() {
        assertThat(query("userId", "a", "userId", "b").userId()).isEqualTo("a,b");
    }

    @Test
    void readsThePostBody() {
        Context context = body("""
                {"context":{"userId":"42","sessionId":"s1","appName":"web","plan":"pro",
                  "properties":{"country":"no","age":17,"beta":true,"gone":null}}}""");

        assertThat(context.userId()).isEqualTo("42");
        assertThat(context.sessionId()).isEqualTo("s1");
        assertThat(context.appName()).isEqualTo("web");
        assertThat(context.properties()).containsEntry("country", "no").containsEntry("age", "17")
                .containsEntry("beta", "true").containsEntry("plan", "pro").containsEntry("gone", null);
    }

    @Test
    void anEmptyBodyOrOneWithoutContextIsAnEmptyContext() {
        assertThat(FrontendContext.fromBody(new byte[0]).toContext(null, () -> "s").userId()).isNull();
        assertThat(body("{}").properties()).isEmpty();
        assertThat(body("{\"context\":null}").sessionId()).isEqualTo("random-session");
    }

    @Test
    void refusesBodiesItCannotRead() {
        assertThatThrownBy(() -> body("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> body("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> body("{\"context\":\"u1\"}")).hasMessageContaining("context must be a JSON object");
        assertThatThrownBy(() -> body("{\"context\":{\"properties\":[1]}}")).hasMessageContaining("context.properties");
    }

    @Test
    void randomSessionIdsAre36HexDigits() {
        assertThat(FrontendContext.randomSessionId()).matches("[0-9a-f]{36}").isNotEqualTo(FrontendContext.randomSessionId());
    }
}
