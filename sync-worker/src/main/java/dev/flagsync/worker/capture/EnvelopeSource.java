package dev.flagsync.worker.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the capture needs of a Debezium envelope it forwards, read with Jackson's streaming parser
 * (the envelope itself is passed on as it is): the operation, and the source's commit time in
 * epoch microseconds ({@code source.ts_us}, else {@code ts_ms}), -1 when absent.
 */
record EnvelopeSource(String op, long commitMicros) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final EnvelopeSource UNKNOWN = new EnvelopeSource(null, -1);

    /** A change read from the WAL stream; the initial snapshot's reads are {@code op=r}. */
    boolean streamed() {
        return op != null && !op.equals("r");
    }

    static EnvelopeSource read(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return UNKNOWN;
            }
            String op = null;
            long micros = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (field.equals("op") && token == JsonToken.VALUE_STRING) {
                    op = parser.getText();
                } else if (field.equals("source") && token == JsonToken.START_OBJECT) {
                    micros = commitMicros(parser);
                } else {
                    parser.skipChildren();
                }
            }
            return new EnvelopeSource(op, micros);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN; // not an envelope: nothing to time, nothing it proves
        }
    }

    private static long commitMicros(JsonParser parser) throws IOException {
        long micros = -1;
        long millis = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NUMBER_INT && field.equals("ts_us")) {
                micros = parser.getLongValue();
            } else if (token == JsonToken.VALUE_NUMBER_INT && field.equals("ts_ms")) {
                millis = parser.getLongValue();
            } else {
                parser.skipChildren();
            }
        }
        return micros > 0 ? micros : millis > 0 ? millis * 1_000 : -1;
    }
}
