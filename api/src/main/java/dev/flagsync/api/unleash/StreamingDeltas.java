package dev.flagsync.api.unleash;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flagsync.api.stream.Frame;
import dev.flagsync.api.stream.StreamFormat;
import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Unleash's streaming protocol ({@code GET /api/client/streaming}, what the SDKs' streaming mode
 * reads): on connect {@code event: unleash-connected} with one {@code hydration} event (every
 * feature and segment), then after each change {@code event: unleash-updated} with the delta
 * between the snapshot before and after it: {@code feature-updated} (the whole feature),
 * {@code feature-removed}, {@code segment-updated}, {@code segment-removed}. Every event and the
 * SSE id carry the environment's version, so Last-Event-ID says what a reconnecting SDK has. A
 * client that did not get the snapshot a delta starts from gets a new hydration instead.
 * Features are {@link ClientFeatures}' shapes, segments by id (client spec 4.2.0 and later).
 */
public final class StreamingDeltas implements StreamFormat {

    public static final StreamingDeltas INSTANCE = new StreamingDeltas();

    static final String CONNECTED = "unleash-connected";
    static final String UPDATED = "unleash-updated";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StreamingDeltas() {
    }

    @Override
    public Frame frame(EncodedSnapshot previous, EncodedSnapshot current) {
        Frame whole = Frame.whole(CONNECTED, current.version(), write(hydration(current.snapshot())));
        if (previous == null) {
            return whole;
        }
        return Frame.delta(UPDATED, previous.version(), current.version(),
                write(delta(previous.snapshot(), current.snapshot())), whole);
    }

    /** {@code {"events":[{"type":"hydration","eventId":v,"features":[..],"segments":[..]}]}}. */
    static ObjectNode hydration(Snapshot snapshot) {
        ObjectNode hydration = event("hydration", snapshot.version());
        ObjectNode features = ClientFeatures.of(snapshot);
        hydration.set("features", features.get("features"));
        hydration.set("segments", features.get("segments"));
        return events(JSON.arrayNode().add(hydration));
    }

    /**
     * The events that turn {@code before} into {@code after}: segments first, so a feature never
     * names a segment the client has not been sent, then features, then what was removed.
     */
    static ObjectNode delta(Snapshot before, Snapshot after) {
        long version = after.version();
        ArrayNode events = JSON.arrayNode();
        Map<Integer, Segment> oldSegments = new HashMap<>();
        before.segments().forEach(segment -> oldSegments.put(segment.id(), segment));
        for (Segment segment : after.segments()) {
            if (!Objects.equals(oldSegments.remove(segment.id()), segment)) {
                events.add(event("segment-updated", version).set("segment", ClientFeatures.segment(segment)));
            }
        }
        Map<String, Flag> oldFlags = new HashMap<>();
        before.flags().forEach(flag -> oldFlags.put(flag.key(), flag));
        for (Flag flag : after.flags()) {
            if (!Objects.equals(oldFlags.remove(flag.key()), flag)) {
                events.add(event("feature-updated", version).set("feature", ClientFeatures.feature(flag)));
            }
        }
        for (String removed : oldFlags.keySet().stream().sorted().toList()) {
            events.add(event("feature-removed", version).put("featureName", removed)
                    .put("project", FeatureQuery.DEFAULT_PROJECT));
        }
        for (Integer removed : oldSegments.keySet().stream().sorted().toList()) {
            events.add(event("segment-removed", version).put("segmentId", removed));
        }
        return events(events);
    }

    private static ObjectNode event(String type, long version) {
        ObjectNode event = JSON.objectNode();
        event.put("type", type);
        event.put("eventId", version);
        return event;
    }

    private static ObjectNode events(ArrayNode events) {
        ObjectNode body = JSON.objectNode();
        body.set("events", events);
        return body;
    }

    private static byte[] write(ObjectNode body) {
        return FlagJson.write(body);
    }

    @Override
    public String toString() {
        return "unleash-streaming";
    }
}
