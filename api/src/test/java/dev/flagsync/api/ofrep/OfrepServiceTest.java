package dev.flagsync.api.ofrep;

import static dev.flagsync.api.ofrep.OfrepTestData.SNAPSHOT;
import static dev.flagsync.api.ofrep.OfrepTestData.USER_123;
import static dev.flagsync.api.ofrep.OfrepTestData.body;
import static dev.flagsync.api.ofrep.OfrepTestData.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Single-flag evaluation: POST /ofrep/v1/evaluate/flags/{key}, one test per reason and error code. */
class OfrepServiceTest {

    private final OfrepService service = new OfrepService();

    @Test
    void answersSplitInOfrepSuccessShape() {
        OfrepResponse response = service.evaluate(SNAPSHOT, "gr1", USER_123);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.etagHeader()).isEmpty();
        assertThat(new String(response.json(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"key\":\"gr1\",\"reason\":\"SPLIT\",\"variant\":\"on\",\"value\":true,"
                        + "\"metadata\":{\"environment\":\"production\",\"version\":42}}");
    }

    @Test
    void answersStaticAndDisabledWithoutTargetingKey() throws IOException {
        OfrepResponse on = service.evaluate(SNAPSHOT, "static-on", body("{\"context\":{}}"));
        OfrepResponse off = service.evaluate(SNAPSHOT, "dark", body("{\"context\":{}}"));

        assertThat(on.status()).isEqualTo(200);
        assertThat(json(on)).isEqualTo(json("{\"key\":\"static-on\",\"reason\":\"STATIC\",\"variant\":\"on\","
                + "\"value\":true,\"metadata\":{\"environment\":\"production\",\"version\":42}}"));
        assertThat(off.status()).isEqualTo(200);
        assertThat(json(off)).isEqualTo(json("{\"key\":\"dark\",\"reason\":\"DISABLED\",\"variant\":\"off\","
                + "\"value\":false,\"metadata\":{\"environment\":\"production\",\"version\":42}}"));
    }

    @Test
    void answersTargetingKeyMissingWith400ForASplitWithoutKey() throws IOException {
        OfrepResponse response = service.evaluate(SNAPSHOT, "gr1", body("{\"context\":{\"plan\":\"pro\"}}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("key").textValue()).isEqualTo("gr1");
        assertThat(json(response).get("errorCode").textValue()).isEqualTo("TARGETING_KEY_MISSING");
        assertThat(json(response).get("errorDetails").textValue()).isNotBlank();
    }

    @Test
    void answersFlagNotFoundWith404() throws IOException {
        OfrepResponse unknown = service.evaluate(SNAPSHOT, "no-such-flag", USER_123);
        OfrepResponse malformed = service.evaluate(SNAPSHOT, "bad key!", USER_123);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("key").textValue()).isEqualTo("no-such-flag");
        assertThat(json(unknown).get("errorCode").textValue()).isEqualTo("FLAG_NOT_FOUND");
        assertThat(json(unknown).get("errorDetails").textValue()).contains("production");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(json(malformed).get("errorCode").textValue()).isEqualTo("FLAG_NOT_FOUND");
    }

    @Test
    void answersParseErrorWith400ForABodyThatIsNotJson() throws IOException {
        OfrepResponse response = service.evaluate(SNAPSHOT, "gr1", body("{\"context\":"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("key").textValue()).isEqualTo("gr1");
        assertThat(json(response).get("errorCode").textValue()).isEqualTo("PARSE_ERROR");
    }

    @Test
    void answersInvalidContextWith400() throws IOException {
        OfrepResponse response = service.evaluate(SNAPSHOT, "gr1", body("{\"context\":{\"targetingKey\":123}}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("errorCode").textValue()).isEqualTo("INVALID_CONTEXT");
    }

    @Test
    void checksTheRequestBeforeLookingUpTheFlag() throws IOException {
        OfrepResponse response = service.evaluate(SNAPSHOT, "no-such-flag", body("[]"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("errorCode").textValue()).isEqualTo("PARSE_ERROR");
    }

    @Test
    void answersGeneralWith500CarryingKeyAndCodeForProviders() throws IOException {
        OfrepResponse single = OfrepResponse.generalError("gr1", "flags unavailable");
        OfrepResponse bulk = OfrepResponse.generalError(null, "flags unavailable");

        assertThat(single.status()).isEqualTo(500);
        assertThat(json(single)).isEqualTo(
                json("{\"key\":\"gr1\",\"errorCode\":\"GENERAL\",\"errorDetails\":\"flags unavailable\"}"));
        assertThat(bulk.status()).isEqualTo(500);
        assertThat(json(bulk)).isEqualTo(json("{\"errorCode\":\"GENERAL\",\"errorDetails\":\"flags unavailable\"}"));
    }
}
