package dev.flagsync.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvelopeSourceTest {

    @Test
    void readsTheOperationAndTheCommitTimeInMicroseconds() {
        EnvelopeSource source = EnvelopeSource.read("{\"before\":null,\"after\":{\"environment\":\"dev\",\"rules\":[1,{\"a\":2}]},"
                + "\"source\":{\"db\":\"flagsync\",\"ts_ms\":1733000000123,\"ts_us\":1733000000123456,\"lsn\":42},"
                + "\"op\":\"u\",\"ts_ms\":1733000000200}");

        assertThat(source.op()).isEqualTo("u");
        assertThat(source.streamed()).isTrue();
        assertThat(source.commitMicros()).isEqualTo(1_733_000_000_123_456L);
    }

    @Test
    void fallsBackToMillisecondsWhenTheSourceHasNoMicroseconds() {
        assertThat(EnvelopeSource.read("{\"source\":{\"ts_ms\":1733000000123},\"op\":\"c\"}").commitMicros())
                .isEqualTo(1_733_000_000_123_000L);
    }

    @Test
    void aSnapshotReadIsNotStreamed() {
        assertThat(EnvelopeSource.read("{\"op\":\"r\",\"source\":{\"ts_us\":1}}").streamed()).isFalse();
    }

    @Test
    void somethingThatIsNoEnvelopeProvesNothing() {
        for (String value : new String[] {null, "", "[1,2]", "not json", "{\"op\":", "{\"op\":5}"}) {
            EnvelopeSource source = EnvelopeSource.read(value);
            assertThat(source.streamed()).as(value).isFalse();
            assertThat(source.commitMicros()).as(value).isEqualTo(-1);
        }
    }
}
