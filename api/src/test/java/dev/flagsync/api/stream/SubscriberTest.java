package dev.flagsync.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One stream's delivery rules against a sink that is told when it can take a write, as Jetty's is. */
class SubscriberTest {

    /** A connection that takes a write only while {@link #ready} is set, like non-blocking servlet output. */
    private static final class FakeSink implements StreamSink {
        final List<String> written = new ArrayList<>();
        boolean ready;
        boolean broken;
        boolean closed;
        Events events;

        @Override
        public void listen(Events events) {
            this.events = events;
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            if (broken) {
                throw new IOException("connection reset");
            }
            written.add(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closed = true;
        }

        /** The pending write went out: Jetty's onWritePossible. */
        void drained() {
            ready = true;
            events.writable();
        }
    }

    private static final class Owner implements Subscriber.Owner {
        int sent;
        final List<Subscriber> gone = new ArrayList<>();

        @Override
        public void sent() {
            sent++;
        }

        @Override
        public void gone(Subscriber subscriber) {
            gone.add(subscriber);
        }
    }

    private final FakeSink sink = new FakeSink();
    private final Owner owner = new Owner();
    private final Subscriber subscriber = new Subscriber("dev", StreamFormat.SNAPSHOTS, sink, () -> true, owner);

    private static Frame frame(long version) {
        return Frame.whole("flags", version, "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Frame frame) {
        return new String(frame.bytes(), StandardCharsets.UTF_8);
    }

    private static String text(long version) {
        return text(frame(version));
    }

    @Test
    void writesAtOnceWhenTheConnectionCanTakeIt() {
        sink.ready = true;

        assertThat(subscriber.send(frame(1))).isEqualTo(Subscriber.Delivery.SENT);
        assertThat(sink.written).containsExactly(text(1));
    }

    @Test
    void aSlowClientGetsOnlyTheNewestFrameOnceItCanTakeOne() {
        assertThat(subscriber.send(frame(1))).isEqualTo(Subscriber.Delivery.QUEUED);
        assertThat(subscriber.send(frame(2))).isEqualTo(Subscriber.Delivery.QUEUED);
        assertThat(subscriber.send(frame(3))).isEqualTo(Subscriber.Delivery.QUEUED);
        assertThat(sink.written).isEmpty();

        sink.drained();

        assertThat(sink.written).containsExactly(text(3));
        assertThat(owner.sent).isEqualTo(1);
    }

    @Test
    void neverGoesBackToAnOlderVersion() {
        sink.ready = true;
        subscriber.send(frame(5));

        assertThat(subscriber.send(frame(4))).isEqualTo(Subscriber.Delivery.SKIPPED);
        assertThat(subscriber.send(frame(5))).isEqualTo(Subscriber.Delivery.SKIPPED);
        sink.ready = false;
        subscriber.send(frame(7));
        assertThat(subscriber.send(frame(6))).isEqualTo(Subscriber.Delivery.SKIPPED);
        sink.drained();
        assertThat(sink.written).containsExactly(text(5), text(7));
    }

    @Test
    void aDeltaGoesOutAsItIsOnlyToAClientAtItsBase() {
        sink.ready = true;
        subscriber.send(frame(5));
        Frame delta = Frame.delta("flags", 5, 6, "{\"changed\":1}".getBytes(StandardCharsets.UTF_8), frame(6));
        subscriber.send(delta);
        assertThat(sink.written).containsExactly(text(5), text(delta));

        sink.ready = false;
        subscriber.send(frame(7));
        Frame skippedBase = Frame.delta("flags", 7, 8, "{\"changed\":2}".getBytes(StandardCharsets.UTF_8), frame(8));
        subscriber.send(skippedBase); // replaces 7 before it went out: the client is still at 6
        sink.drained();
        assertThat(sink.written).containsExactly(text(5), text(delta), text(8));
    }

    @Test
    void aClientThatMayNoLongerListenFailsItsHeartbeat() {
        Subscriber revoked = new Subscriber("dev", StreamFormat.SNAPSHOTS, sink, () -> false, owner);

        assertThat(revoked.heartbeat()).isFalse();
    }

    @Test
    void skipsVersionsTheClientSaidItHas() {
        sink.ready = true;
        subscriber.alreadyHas(9);

        assertThat(subscriber.send(frame(9))).isEqualTo(Subscriber.Delivery.SKIPPED);
        assertThat(subscriber.send(frame(10))).isEqualTo(Subscriber.Delivery.SENT);
    }

    @Test
    void aFrameWaitingToGoOutStandsInForTheHeartbeat() {
        subscriber.send(frame(1));

        assertThat(subscriber.heartbeat()).isTrue();
        assertThat(sink.written).isEmpty();
        sink.drained();
        assertThat(subscriber.heartbeat()).isTrue();
        assertThat(sink.written).containsExactly(text(1), new String(Frame.HEARTBEAT, StandardCharsets.UTF_8));
    }

    @Test
    void aFailedWriteOrAFailedConnectionEndsTheStream() {
        sink.ready = true;
        sink.broken = true;
        assertThat(subscriber.send(frame(1))).isEqualTo(Subscriber.Delivery.GONE);
        assertThat(subscriber.heartbeat()).isFalse();

        sink.events.failed(new IOException("idle timeout"));
        assertThat(owner.gone).containsExactly(subscriber);
    }

    @Test
    void aDeferredWriteThatFailsTellsTheOwner() {
        subscriber.send(frame(1));
        sink.broken = true;

        sink.drained();

        assertThat(owner.gone).containsExactly(subscriber);
        assertThat(owner.sent).isZero();
    }

    @Test
    void aClosedStreamTakesNothingMore() {
        sink.ready = true;
        assertThat(subscriber.close()).isTrue();
        assertThat(subscriber.close()).isFalse();

        assertThat(sink.closed).isTrue();
        assertThat(subscriber.send(frame(1))).isEqualTo(Subscriber.Delivery.GONE);
        assertThat(subscriber.heartbeat()).isFalse();
    }
}
