package dev.flagsync.systemtests.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The run's HTTP client (HTTP/1.1, as browsers and SDKs reach the API), and its one-line calls. */
final class Http {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** A valid read that takes longer than this counts as unanswered. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private Http() {
    }

    /** GET, the body as a string; empty when nothing answers (refused, reset, timed out). */
    static Optional<HttpResponse<String>> get(URI uri) {
        try {
            return Optional.of(CLIENT.send(HttpRequest.newBuilder(uri).timeout(READ_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The status of a GET, or -1 when nothing answers. */
    static int status(URI uri) {
        return get(uri).map(HttpResponse::statusCode).orElse(-1);
    }
}
