package dev.flagsync.api.ofrep;

import dev.flagsync.api.stream.Frame;
import dev.flagsync.api.stream.StreamFormat;
import dev.flagsync.shared.flag.EncodedSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * OFREP event streams (ADR-0008): after each change of the environment, a default
 * {@code message} event (the only one the OpenFeature web provider listens to) whose data is
 * {@code {"type":"refetchEvaluation","etag":"\"<version>\""}} and whose id is the version, so a
 * reconnecting client's Last-Event-ID says what it has. The provider then re-posts its bulk
 * evaluation with the etag as {@code flagConfigEtag}, which {@link #versionOf} reads back.
 */
public final class RefetchNotices implements StreamFormat {

    public static final RefetchNotices INSTANCE = new RefetchNotices();

    private RefetchNotices() {
    }

    /**
     * Also what a client gets on connect: its bulk answer may be older than this connection,
     * and a refetch that finds nothing new is a cheap 304.
     */
    @Override
    public Frame frame(EncodedSnapshot previous, EncodedSnapshot current) {
        return notice(current.version());
    }

    static Frame notice(long version) {
        String json = "{\"type\":\"refetchEvaluation\",\"etag\":\"\\\"" + version + "\\\"\"}";
        return Frame.whole(null, version, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The version named by a refetch's {@code flagConfigEtag} ({@code "42"}, quoted or not); empty if it names none. */
    public static OptionalLong versionOf(String etag) {
        if (etag == null) {
            return OptionalLong.empty();
        }
        String bare = etag.strip();
        if (bare.startsWith("W/")) {
            bare = bare.substring(2);
        }
        if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        if (bare.isEmpty() || bare.length() > 18 || !bare.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(bare));
    }

    @Override
    public String toString() {
        return "ofrep-refetch";
    }
}
