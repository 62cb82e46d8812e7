package dev.flagsync.api.http;

import dev.flagsync.api.stream.StreamSink;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * An SSE response written with the servlet's non-blocking I/O, held open by Javalin until
 * {@link #completion()} completes. Until {@link #start()} (run once the request is asynchronous)
 * it is not ready, so frames wait in the subscriber. Writes go to Jetty's output directly, past
 * Javalin's compression, as one chunk each, sharing the frame's bytes (no copy per client).
 */
final class ResponseSink implements StreamSink, WriteListener {

    private final HttpServletResponse response;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile Events events;
    private volatile HttpOutput output;

    ResponseSink(HttpServletResponse response) {
        this.response = response;
    }

    /** Switches the response to non-blocking writes and returns the future that ends it; call only once async. */
    CompletableFuture<Void> start() {
        try {
            ServletOutputStream stream = response.getOutputStream();
            if (!(stream instanceof HttpOutput http)) {
                throw new IllegalStateException("SSE needs Jetty's HttpOutput, got " + stream.getClass().getName());
            }
            http.setWriteListener(this);
            output = http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Jetty's first onWritePossible may have run before output was set and found nothing to write.
        onWritePossible();
        return completion;
    }

    @Override
    public void listen(Events events) {
        this.events = events;
    }

    @Override
    public boolean ready() {
        HttpOutput http = output;
        return http != null && http.isReady();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        output.write(ByteBuffer.wrap(bytes));
    }

    @Override
    public void close() {
        completion.complete(null);
    }

    @Override
    public void onWritePossible() {
        Events listener = events;
        if (listener != null && output != null) {
            listener.writable();
        }
    }

    @Override
    public void onError(Throwable failure) {
        Events listener = events;
        if (listener != null) {
            listener.failed(failure);
        }
        close();
    }

    CompletableFuture<Void> completion() {
        return completion;
    }
}
