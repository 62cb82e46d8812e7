package dev.flagsync.api.frontend;

import dev.flagsync.api.ofrep.BulkEtag;

/** A frontend answer: the JSON body and its ETag (a hash of that body). */
public record FrontendAnswer(byte[] json, String etag) {

    /** Whether an {@code If-None-Match} value (may be null) names this answer's ETag; {@code *} never does. */
    public boolean matches(String ifNoneMatch) {
        return BulkEtag.matches(ifNoneMatch, etag);
    }
}
