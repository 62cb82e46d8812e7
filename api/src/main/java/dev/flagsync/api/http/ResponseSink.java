package dev.flagsync.api.http;

import dev.flagsync.api.stream.StreamSink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * An SSE response held open by Javalin until {@link #completion()} completes. Writes go to the
 * servlet stream directly, past Javalin's compression, so each frame is flushed as it is.
 */
final class ResponseSink implements StreamSink {

    private final HttpServletResponse response;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();

    ResponseSink(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        ServletOutputStream out = response.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() {
        completion.complete(null);
    }

    CompletableFuture<Void> completion() {
        return completion;
    }
}
