package dev.flagsync.api.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Request bodies read with a limit of the route's own, for the few routes whose bodies may be
 * larger than the server-wide limit ({@link AdminResource#MAX_BODY_BYTES}, which Javalin applies
 * to {@code ctx.bodyAsBytes()}): SDK metrics and imports. Over the limit is 413.
 */
final class Bodies {

    private Bodies() {
    }

    static byte[] read(Context ctx, int limit) {
        if (ctx.req().getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (body.size() + n > limit) {
                    throw tooLarge(limit);
                }
                body.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // A body that ends early or breaks its chunked encoding: the client's fault, not ours.
            throw new ApiError(400, "bad_request", "the request body could not be read: " + e.getClass().getSimpleName());
        }
        return body.toByteArray();
    }

    static ApiError tooLarge(int limit) {
        return new ApiError(413, "payload_too_large", "body must be at most " + limit + " bytes");
    }
}
