package dev.flagsync.api.ofrep;

import static dev.flagsync.api.ofrep.OfrepTestData.SNAPSHOT;
import static dev.flagsync.api.ofrep.OfrepTestData.UPDATED;
import static dev.flagsync.api.ofrep.OfrepTestData.USER_123;
import static dev.flagsync.api.ofrep.OfrepTestData.body;
import static dev.flagsync.api.ofrep.OfrepTestData.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.Snapshot;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk evaluation: POST /ofrep/v1/evaluate/flags, with its ETag and 304. */
class OfrepServiceBulkTest {

    private final OfrepService service = new OfrepService();

    @Test
    void bulkEvaluatesEveryFlagWithPerFlagErrorsAndAnEtag() throws IOException {
        OfrepResponse response = service.evaluateAll(SNAPSHOT, body("{\"context\":{}}"), null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.etag()).matches("\"42-[0-9a-f]{16}\"");
        JsonNode flags = json(response).get("flags");
        assertThat(flags).hasSize(3);
        // Each entry carries the flag set's metadata too, as a single answer does.
        assertThat(flags.get(0)).isEqualTo(json("{\"key\":\"dark\",\"reason\":\"DISABLED\",\"variant\":\"off\",\"value\":false,"
                + "\"metadata\":{\"environment\":\"production\",\"version\":42}}"));
        assertThat(flags.get(1).get("key").textValue()).isEqualTo("gr1");
        assertThat(flags.get(1).get("errorCode").textValue()).isEqualTo("TARGETING_KEY_MISSING");
        assertThat(flags.get(2)).isEqualTo(json("{\"key\":\"static-on\",\"reason\":\"STATIC\",\"variant\":\"on\",\"value\":true,"
                + "\"metadata\":{\"environment\":\"production\",\"version\":42}}"));
        assertThat(json(response).get("metadata")).isEqualTo(json("{\"environment\":\"production\",\"version\":42}"));
    }

    @Test
    void bulkEvaluatesSplitsForTheTargetingKey() throws IOException {
        Snapshot halfRollout = new Snapshot("production", 43, List.of(new Flag("gr1", true, 50, null, UPDATED)));

        JsonNode flags = json(service.evaluateAll(halfRollout, USER_123, null)).get("flags");

        assertThat(flags).containsExactly(json("{\"key\":\"gr1\",\"reason\":\"SPLIT\",\"variant\":\"off\",\"value\":false,"
                + "\"metadata\":{\"environment\":\"production\",\"version\":43}}"));
    }

    @Test
    void bulkAnswersAnEmptyEnvironmentWithNoFlags() throws IOException {
        OfrepResponse response = service.evaluateAll(Snapshot.empty("staging"), USER_123, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(json("{\"flags\":[],\"metadata\":{\"environment\":\"staging\",\"version\":0}}"));
    }

    @Test
    void bulkRejectsABadRequestAsAWholeWithoutKey() throws IOException {
        OfrepResponse parse = service.evaluateAll(SNAPSHOT, body("nope"), null);
        OfrepResponse context = service.evaluateAll(SNAPSHOT, body("{\"context\":\"user\"}"), null);

        assertThat(parse.status()).isEqualTo(400);
        assertThat(parse.etagHeader()).isEmpty();
        assertThat(json(parse).has("key")).isFalse();
        assertThat(json(parse).get("errorCode").textValue()).isEqualTo("PARSE_ERROR");
        assertThat(context.status()).isEqualTo(400);
        assertThat(json(context).get("errorCode").textValue()).isEqualTo("INVALID_CONTEXT");
    }

    @Test
    void bulkAnswers304WithoutBodyWhenIfNoneMatchNamesTheCurrentEtag() {
        String etag = service.evaluateAll(SNAPSHOT, USER_123, null).etag();

        OfrepResponse response = service.evaluateAll(SNAPSHOT, body("{\"context\":{ \"targetingKey\" : \"123\" }}"), etag);

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.etag()).isEqualTo(etag);
        assertThat(response.json()).isEmpty();
    }

    @Test
    void bulkAnswers200AgainOnceTheVersionMoves() {
        String etag = service.evaluateAll(SNAPSHOT, USER_123, null).etag();
        Snapshot changed = new Snapshot("production", 43, SNAPSHOT.flags());

        OfrepResponse response = service.evaluateAll(changed, USER_123, etag);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.etag()).isNotEqualTo(etag).startsWith("\"43-");
    }

    @Test
    void bulkEtagBeforeEvaluationEqualsTheEtagOfTheAnswer() {
        byte[] reordered = body("{\"context\":{\"plan\":\"pro\",\"targetingKey\":\"123\"}}");
        byte[] original = body("{\"context\":{\"targetingKey\":\"123\",\"plan\":\"pro\"}}");

        assertThat(service.bulkEtag(42, "production", reordered))
                .contains(service.evaluateAll(SNAPSHOT, original, null).etag());
        assertThat(service.bulkEtag(42, "production", body("{\"context\":[]}"))).isEmpty();
    }
}
