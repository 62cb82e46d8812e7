package dev.flagsync.api.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.config.Env;
import dev.flagsync.shared.config.RedisConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The subscription notices a connection that stops answering, without any error on it. */
class ChangeSubscriberIT {

    private Redis redis;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ChangeSubscriber.Listener recorder = new ChangeSubscriber.Listener() {
        @Override
        public void changed(Change change) {
            events.add("changed " + change.environment() + " " + change.version());
        }

        @Override
        public void subscribed() {
            events.add("subscribed");
        }

        @Override
        public void unsubscribed() {
            events.add("unsubscribed");
        }
    };

    @BeforeEach
    void start() {
        redis = Servers.redis();
    }

    @AfterEach
    void stop() {
        redis.close();
    }

    @Test
    void reconnectsWhenPingsGoUnanswered() {
        RedisConfig config = RedisConfig.from(new Env(Map.of("REDIS_URL", redis.url())));
        try (ChangeSubscriber subscriber = new ChangeSubscriber(config, List.of(recorder), Duration.ofMillis(300)).start();
             Jedis admin = new Jedis(URI.create(redis.url()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("subscribed"));

            // The server stops answering every client but sends no error: a half-open connection.
            admin.clientPause(3000);

            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("unsubscribed"));
            await().atMost(Duration.ofSeconds(15)).until(() -> events.lastIndexOf("subscribed") > events.indexOf("unsubscribed"));
            admin.publish("feature_flags:changes", "{\"environment\":\"ping-test\",\"version\":3}");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("changed ping-test 3"));
        }
        assertThat(events.getFirst()).isEqualTo("subscribed");
    }
}
