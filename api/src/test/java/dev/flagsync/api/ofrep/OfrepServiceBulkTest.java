package dev.flagsync.api.ofrep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk evaluation: POST /ofrep/v1/evaluate/flags, with its ETag and 304. */
class OfrepServiceBulkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant UPDATED = Instant.parse("2026-11-21T10:00:00Z");

    // bucket("gr1", "123") = 73 (Unleash's vector), so "gr1" at 80 % is on for "123", at 50 % off.
    private static final Snapshot SNAPSHOT = new Snapshot("production", 42, List.of(
            new Flag("static-on", true, 100, "everyone", UPDATED),
            new Flag("gr1", true, 80, null, UPDATED),
            new Flag("dark", false, 100, null, UPDATED)));

    private final OfrepService service = new OfrepService();

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(OfrepResponse response) throws IOException {
        return JSON.readTree(response.json());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static final byte[] USER_123 = body("{\"context\":{\"targetingKey\":\"123\"}}");

    @Test
    void bulkEvaluatesEveryFlagWithPerFlagErrorsAndAnEtag() throws IOException {
        OfrepResponse response = service.evaluateAll(SNAPSHOT, body("{\"context\":{}}"), null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.etag()).matches("\"42-[0-9a-f]{16}\"");
        JsonNode flags = json(response).get("flags");
        assertThat(flags).hasSize(3);
        assertThat(flags.get(0)).isEqualTo(json("{\"key\":\"dark\",\"reason\":\"DISABLED\",\"variant\":\"off\",\"value\":false}"));
        assertThat(flags.get(1).get("key").textValue()).isEqualTo("gr1");
        assertThat(flags.get(1).get("errorCode").textValue()).isEqualTo("TARGETING_KEY_MISSING");
        assertThat(flags.get(2)).isEqualTo(json("{\"key\":\"static-on\",\"reason\":\"STATIC\",\"variant\":\"on\",\"value\":true}"));
        assertThat(json(response).get("metadata")).isEqualTo(json("{\"environment\":\"production\",\"version\":42}"));
    }

    @Test
    void bulkEvaluatesSplitsForTheTargetingKey() throws IOException {
        Snapshot halfRollout = new Snapshot("production", 43, List.of(new Flag("gr1", true, 50, null, UPDATED)));

        JsonNode flags = json(service.evaluateAll(halfRollout, USER_123, null)).get("flags");

        assertThat(flags).containsExactly(json("{\"key\":\"gr1\",\"reason\":\"SPLIT\",\"variant\":\"off\",\"value\":false}"));
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
