package dev.flagsync.localstack;

/** Placeholder: the in-process KRaft broker lands in the next commit. */
public final class EmbeddedKafkaServer {

    private EmbeddedKafkaServer() {
    }

    public static Kafka startOnFreePort() {
        throw new UnsupportedOperationException("the embedded Kafka is not written yet");
    }
}
