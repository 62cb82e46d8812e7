package dev.flagsync.api.ofrep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.evaluator.Context;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvaluationContextTest {

    private static EvaluationContext parse(String body) {
        return EvaluationContext.fromRequestBody(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(String body, ErrorCode code) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(OfrepException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
    }

    @Test
    void readsTargetingKeyAndKeepsOtherAttributes() {
        EvaluationContext context = parse("{\"context\":{\"targetingKey\":\"user-1\",\"plan\":\"pro\",\"age\":42}}");

        assertThat(context.targetingKey()).isEqualTo("user-1");
        assertThat(context.json().get("plan").textValue()).isEqualTo("pro");
        assertThat(context.json().get("age").intValue()).isEqualTo(42);
    }

    @Test
    void ignoresUnknownTopLevelFieldsForForwardCompatibility() {
        assertThat(parse("{\"context\":{\"targetingKey\":\"u\"},\"future\":true}").targetingKey()).isEqualTo("u");
    }

    @Test
    void treatsMissingContextAsEmptyContext() {
        EvaluationContext context = parse("{}");

        assertThat(context.hasTargetingKey()).isFalse();
        assertThat(context.json().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"context\":{}}", "{\"context\":{\"targetingKey\":null}}", "{\"context\":{\"targetingKey\":\"\"}}"})
    void hasNoTargetingKeyWhenAbsentNullOrEmpty(String body) {
        assertThat(parse(body).hasTargetingKey()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"context\":}", "not json", "{\"context\":{}} trailing",
            "{\"context\":{\"a\":1,\"a\":2}}", "[]", "\"context\"", "42", "null"})
    void rejectsBodiesThatAreNotOneJsonObjectAsParseError(String body) {
        assertRejected(body, ErrorCode.PARSE_ERROR);
    }

    @Test
    void rejectsMissingBodyAsParseError() {
        assertThatThrownBy(() -> EvaluationContext.fromRequestBody(null))
                .isInstanceOfSatisfying(OfrepException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PARSE_ERROR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"context\":null}", "{\"context\":\"user-1\"}", "{\"context\":[]}", "{\"context\":7}"})
    void rejectsContextThatIsNotAnObjectAsInvalidContext(String body) {
        assertRejected(body, ErrorCode.INVALID_CONTEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "true", "{}", "[\"user-1\"]"})
    void rejectsTargetingKeyThatIsNotAStringAsInvalidContext(String targetingKey) {
        assertRejected("{\"context\":{\"targetingKey\":" + targetingKey + "}}", ErrorCode.INVALID_CONTEXT);
    }

    @Test
    void writesCanonicalJsonWithPropertiesSortedAtEveryLevel() {
        EvaluationContext context = parse("{\"context\":{\"z\":1,\"a\":{\"y\":true,\"b\":[{\"d\":1,\"c\":2}]},\"targetingKey\":\"u\"}}");

        assertThat(new String(context.canonicalJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"b\":[{\"c\":2,\"d\":1}],\"y\":true},\"targetingKey\":\"u\",\"z\":1}");
    }

    @Test
    void keepsDecimalsThatADoubleWouldMerge() {
        assertThat(parse("{\"context\":{\"x\":0.1}}").canonicalJson())
                .isNotEqualTo(parse("{\"context\":{\"x\":0.10000000000000001}}").canonicalJson());
    }

    @Test
    void mapsToUnleashsContextTargetingKeyAsUserIdTopLevelFieldsAndStringProperties() {
        Context unleash = parse("{\"context\":{\"targetingKey\":\"user-1\",\"sessionId\":\"s\",\"remoteAddress\":\"10.0.0.1\","
                + "\"currentTime\":\"2026-11-21T10:00:00Z\",\"appName\":\"web\",\"environment\":\"prod\",\"userId\":\"other\","
                + "\"country\":\"NO\",\"age\":42,\"ratio\":1e3,\"price\":9.90,\"beta\":true,\"nothing\":null,"
                + "\"tags\":[\"a\",1],\"address\":{\"zip\":\"0150\",\"city\":\"Oslo\"}}}").toUnleash();

        assertThat(unleash.userId()).isEqualTo("user-1");
        assertThat(unleash.sessionId()).isEqualTo("s");
        assertThat(unleash.remoteAddress()).isEqualTo("10.0.0.1");
        assertThat(unleash.currentInstant()).isEqualTo(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(unleash.appName()).isEqualTo("web");
        assertThat(unleash.environment()).isEqualTo("prod");
        assertThat(unleash.properties()).containsEntry("userId", "other").containsEntry("country", "NO")
                .containsEntry("age", "42").containsEntry("ratio", "1000").containsEntry("price", "9.9")
                .containsEntry("beta", "true").containsEntry("nothing", null)
                .containsEntry("tags", "[\"a\",1]").containsEntry("address", "{\"city\":\"Oslo\",\"zip\":\"0150\"}")
                .doesNotContainKeys("targetingKey", "sessionId", "remoteAddress", "currentTime", "appName", "environment");
    }

    @Test
    void aClientAddressFillsOnlyAMissingRemoteAddress() {
        assertThat(parse("{\"context\":{}}").withRemoteAddress("10.0.0.9").toUnleash().remoteAddress()).isEqualTo("10.0.0.9");
        assertThat(parse("{\"context\":{\"remoteAddress\":null}}").withRemoteAddress("10.0.0.9").toUnleash().remoteAddress())
                .isEqualTo("10.0.0.9");
        assertThat(parse("{\"context\":{\"remoteAddress\":\"::1\"}}").withRemoteAddress("10.0.0.9").toUnleash().remoteAddress())
                .isEqualTo("::1");
        assertThat(parse("{\"context\":{}}").withRemoteAddress(null).toUnleash().remoteAddress()).isNull();
    }
}
