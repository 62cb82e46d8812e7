package dev.flagsync.api.ofrep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** The snapshot and request bodies the OFREP service tests share. */
final class OfrepTestData {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant UPDATED = Instant.parse("2026-11-21T10:00:00Z");

    // bucket("gr1", "123") = 73 (Unleash's vector), so "gr1" at 80 % is on for "123", at 50 % off.
    static final Snapshot SNAPSHOT = new Snapshot("production", 42, List.of(
            new Flag("static-on", true, 100, "everyone", UPDATED),
            new Flag("gr1", true, 80, null, UPDATED),
            new Flag("dark", false, 100, null, UPDATED)));

    static final byte[] USER_123 = body("{\"context\":{\"targetingKey\":\"123\"}}");

    private OfrepTestData() {
    }

    static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(OfrepResponse response) throws IOException {
        return JSON.readTree(response.json());
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
