package dev.flagsync.worker.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

    private static final String SOURCE = "\"source\":{\"lsn\":123,\"txId\":7,\"ts_ms\":1700000000000}";

    private static String row(String environment) {
        return "{\"environment\":\"" + environment + "\",\"flag_key\":\"k\",\"enabled\":true,\"rollout_percentage\":100}";
    }

    @Test
    void insertNamesTheNewRowsEnvironment() throws Exception {
        AffectedEnvironments change = ChangeEvents.affectedEnvironments("{\"before\":null,\"after\":" + row("prod") + ",\"op\":\"c\","
                + SOURCE + ",\"ts_ms\":1700000000050}").orElseThrow();
        assertThat(change).isEqualTo(new AffectedEnvironments(Set.of("prod"), false, 1700000000000L, 7));
    }

    @Test
    void aSnapshotReadNamesNoTransactionToWaitFor() throws Exception {
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":null,\"after\":" + row("prod") + ",\"op\":\"r\"," + SOURCE + "}"))
                .map(AffectedEnvironments::transactionId).contains(-1L);
    }

    @Test
    void anEnvelopeWithoutSourceNamesNoTransaction() throws Exception {
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":null,\"after\":" + row("prod") + ",\"op\":\"c\"}"))
                .map(AffectedEnvironments::transactionId).contains(-1L);
    }

    @Test
    void deleteNamesTheOldRowsEnvironment() throws Exception {
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":" + row("dev") + ",\"after\":null,\"op\":\"d\"," + SOURCE + "}"))
                .map(AffectedEnvironments::environments).contains(Set.of("dev"));
    }

    @Test
    void rowMovedBetweenEnvironmentsNamesBoth() throws Exception {
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":" + row("staging") + ",\"after\":" + row("prod")
                + ",\"op\":\"u\"," + SOURCE + "}")).map(AffectedEnvironments::environments).contains(Set.of("staging", "prod"));
    }

    @Test
    void truncateMeansEveryEnvironment() throws Exception {
        AffectedEnvironments change = ChangeEvents.affectedEnvironments("{\"before\":null,\"after\":null,\"op\":\"t\"," + SOURCE + "}").orElseThrow();
        assertThat(change.allEnvironments()).isTrue();
    }

    @Test
    void acceptsKafkaConnectSchemaPayloadWrapper() throws Exception {
        String wrapped = "{\"schema\":{\"type\":\"struct\",\"fields\":[]},\"payload\":{\"before\":null,\"after\":" + row("qa")
                + ",\"op\":\"r\"," + SOURCE + "}}";
        assertThat(ChangeEvents.affectedEnvironments(wrapped)).map(AffectedEnvironments::environments).contains(Set.of("qa"));
    }

    @Test
    void tombstonesAreIgnored() throws Exception {
        assertThat(ChangeEvents.affectedEnvironments(null)).isEqualTo(Optional.empty());
        assertThat(ChangeEvents.affectedEnvironments("{\"schema\":null,\"payload\":null}")).isEmpty();
    }

    @Test
    void missingCommitTimeIsMinusOne() throws Exception {
        assertThat(ChangeEvents.affectedEnvironments("{\"after\":" + row("prod") + ",\"op\":\"c\"}"))
                .map(AffectedEnvironments::sourceCommitMillis).contains(-1L);
    }

    @Test
    void rejectsWhatIsNotAFlagChange() {
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("not json")).isInstanceOf(InvalidChangeException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("{\"after\":" + row("p") + "}")).hasMessageContaining("\"op\"");
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("{\"op\":\"x\",\"after\":" + row("p") + "}"))
                .hasMessageContaining("unknown op");
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("{\"op\":\"c\",\"before\":null,\"after\":null}"))
                .hasMessageContaining("names no environment");
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("{\"op\":\"c\",\"after\":{\"flag_key\":\"k\"}}"))
                .hasMessageContaining("after\" has no text field \"environment\"");
        assertThatThrownBy(() -> ChangeEvents.affectedEnvironments("{\"op\":\"c\",\"after\":" + row("Bad Env") + "}"))
                .hasMessageContaining("not a valid environment name");
    }

    @Test
    void segmentChangesNameTheirEnvironmentLikeFlagChanges() throws Exception {
        // Debezium sends a jsonb column as a string of JSON.
        String segment = "{\"environment\":\"prod\",\"segment_id\":7,\"name\":\"beta\","
                + "\"constraints\":\"[{\\\"contextName\\\":\\\"plan\\\",\\\"operator\\\":\\\"IN\\\"}]\"}";
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":null,\"after\":" + segment + ",\"op\":\"c\"," + SOURCE + "}"))
                .map(AffectedEnvironments::environments).contains(Set.of("prod"));
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":" + segment + ",\"after\":null,\"op\":\"d\"," + SOURCE + "}"))
                .map(AffectedEnvironments::environments).contains(Set.of("prod"));
        assertThat(ChangeEvents.affectedEnvironments("{\"before\":null,\"after\":null,\"op\":\"t\"," + SOURCE + "}"))
                .map(AffectedEnvironments::allEnvironments).contains(true);
    }
}
