package dev.flagsync.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The committed files of {@code @unleash/client-specification} 6.1.0 (test resources), read as JSON. */
final class SpecificationFiles {

    static final String ROOT = "/unleash-client-specification/";
    static final String VERSION = "6.1.0";

    /** Files 19 and 20 test a client's handling of delta-API events, not evaluation. */
    static final List<String> NOT_EVALUATION = List.of("19-delta-api-hydration.json", "20-delta-api-events.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecificationFiles() {
    }

    /** The evaluation files listed in the specification's index.json, in its order. */
    static List<String> evaluationFiles() {
        List<String> files = new ArrayList<>();
        read("specifications/index.json").forEach(name -> {
            if (!NOT_EVALUATION.contains(name.textValue())) {
                files.add(name.textValue());
            }
        });
        return files;
    }

    static JsonNode read(String path) {
        try (InputStream in = SpecificationFiles.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + ROOT + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String path) {
        try (InputStream in = SpecificationFiles.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + ROOT + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Unleash context from the specification's JSON: top-level fields and string properties. */
    static Context context(JsonNode json) {
        Context.Builder context = Context.builder()
                .userId(text(json, "userId"))
                .sessionId(text(json, "sessionId"))
                .remoteAddress(text(json, "remoteAddress"))
                .currentTime(text(json, "currentTime"))
                .environment(text(json, "environment"))
                .appName(text(json, "appName"));
        for (Map.Entry<String, JsonNode> property : json.path("properties").properties()) {
            context.property(property.getKey(), property.getValue().isNull() ? null : property.getValue().asText());
        }
        return context.build();
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
