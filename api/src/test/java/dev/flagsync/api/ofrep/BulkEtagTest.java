package dev.flagsync.api.ofrep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BulkEtagTest {

    private static EvaluationContext context(String json) {
        return EvaluationContext.fromRequestBody(("{\"context\":" + json + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static final EvaluationContext USER_1 = context("{\"targetingKey\":\"user-1\",\"plan\":\"pro\"}");

    @Test
    void isQuotedVersionDashHash() {
        assertThat(BulkEtag.of("production", 42, USER_1)).matches("\"42-[0-9a-f]{16}\"");
    }

    @Test
    void isStableWhenTheClientReordersKeys() {
        EvaluationContext reordered = context("{\"plan\":\"pro\",\"targetingKey\":\"user-1\"}");
        EvaluationContext nested = context("{\"targetingKey\":\"u\",\"org\":{\"id\":7,\"tier\":\"gold\"}}");
        EvaluationContext nestedReordered = context("{\"org\":{\"tier\":\"gold\",\"id\":7},\"targetingKey\":\"u\"}");
        EvaluationContext spaced = context("{ \"plan\" : \"pro\" ,\n \"targetingKey\" : \"user-1\" }");

        assertThat(BulkEtag.of("production", 42, reordered)).isEqualTo(BulkEtag.of("production", 42, USER_1));
        assertThat(BulkEtag.of("production", 42, spaced)).isEqualTo(BulkEtag.of("production", 42, USER_1));
        assertThat(BulkEtag.of("production", 42, nestedReordered)).isEqualTo(BulkEtag.of("production", 42, nested));
    }

    @Test
    void changesWithTheContext() {
        String etag = BulkEtag.of("production", 42, USER_1);

        assertThat(BulkEtag.of("production", 42, context("{\"targetingKey\":\"user-2\",\"plan\":\"pro\"}"))).isNotEqualTo(etag);
        assertThat(BulkEtag.of("production", 42, context("{\"targetingKey\":\"user-1\",\"plan\":\"free\"}"))).isNotEqualTo(etag);
        assertThat(BulkEtag.of("production", 42, context("{\"targetingKey\":\"user-1\"}"))).isNotEqualTo(etag);
        // Array order is meaningful, unlike object key order.
        assertThat(BulkEtag.of("production", 42, context("{\"l\":[1,2]}")))
                .isNotEqualTo(BulkEtag.of("production", 42, context("{\"l\":[2,1]}")));
    }

    @Test
    void changesWithTheVersionAndTheEnvironment() {
        String etag = BulkEtag.of("production", 42, USER_1);

        assertThat(BulkEtag.of("production", 43, USER_1)).isNotEqualTo(etag);
        assertThat(BulkEtag.of("staging", 42, USER_1)).isNotEqualTo(etag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"42-0123456789abcdef\"", "42-0123456789abcdef", "W/\"42-0123456789abcdef\"",
            "\"41-ffffffffffffffff\", \"42-0123456789abcdef\"", " \"42-0123456789abcdef\" "})
    void matchesIfNoneMatchNamingTheTag(String ifNoneMatch) {
        assertThat(BulkEtag.matches(ifNoneMatch, "\"42-0123456789abcdef\"")).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"*", "\"41-0123456789abcdef\"", "\"42-0123456789abcdee\"", "\"\"", "W/"})
    void doesNotMatchOtherTagsOrAWildcard(String ifNoneMatch) {
        assertThat(BulkEtag.matches(ifNoneMatch, "\"42-0123456789abcdef\"")).isFalse();
    }
}
