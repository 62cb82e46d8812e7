package dev.flagsync.api.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flagsync.localstack.Redis;
import dev.flagsync.localstack.Servers;
import dev.flagsync.shared.cache.ChangeNotice;
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
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** The subscription notices a connection that stops answering, and retries a lost one at once. */
class ChangeSubscriberIT {

    // Its own Redis: these tests pause every client, stop the server and kill connections.
    private Redis redis;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ChangeListener recorder = new ChangeListener() {
        @Override
        public void changed(ChangeNotice change) {
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

    private RedisConfig config() {
        return RedisConfig.from(new Env(Map.of("REDIS_URL", redis.url())));
    }

    private long subscriptions() {
        return events.stream().filter("subscribed"::equals).count();
    }

    @Test
    void reconnectsWhenPingsGoUnanswered() {
        try (ChangeSubscriber subscriber = new ChangeSubscriber(config(), recorder, Duration.ofMillis(300)).start();
             Jedis admin = new Jedis(URI.create(redis.url()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("subscribed"));

            // The server stops answering every client but sends no error: a half-open connection.
            admin.clientPause(3000);

            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("unsubscribed"));
            await().atMost(Duration.ofSeconds(15)).until(() -> events.lastIndexOf("subscribed") > events.indexOf("unsubscribed"));
            admin.publish("feature_flags:changes", "{\"environment\":\"ping-test\",\"version\":3}");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("changed ping-test 3"));
            assertThat(subscriber.loops()).allSatisfy(loop -> assertThat(loop.liveProblem()).isEmpty());
        }
        assertThat(events.getFirst()).isEqualTo("subscribed");
    }

    @Test
    void retriesAtOnceWhenAGoodConnectionIsLostAfterLongFailures() {
        try (ChangeSubscriber subscriber = new ChangeSubscriber(config(), recorder).start()) {
            await().atMost(Duration.ofSeconds(10)).until(subscriber::isSubscribed);
            redis.stop();
            // Enough failures in a row for the backoff to reach its maximum (2 s).
            await().atMost(Duration.ofSeconds(15)).until(() -> subscriber.loops().getFirst().state().failures() >= 5);
            assertThat(subscriber.loops().getFirst().readyProblem()).get().asString().contains("failing since");
            redis.start();
            await().atMost(Duration.ofSeconds(5)).until(subscriber::isSubscribed);
            long before = subscriptions();

            // The good connection reset the backoff: the next failure waits its first delay
            // (100 ms, BackoffPolicy), not the 2 s the long outage had reached.
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.loops().getFirst().state().failures() == 0);
            // Redis stays up but drops the subscription's connection: it comes back.
            try (Jedis admin = new Jedis(URI.create(redis.url()))) {
                assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB)))
                        .isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions() > before);
            assertThat(subscriber.loops().getFirst().state().failures()).isLessThanOrEqualTo(1);
        }
    }
}
