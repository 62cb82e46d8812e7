package dev.flagsync.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SlotLockTest {

    @Test
    void aServerThatIsDownOrRestartingIsWaitedForAndAnythingElseIsAFailure() {
        for (String down : new String[] {"08001", "08006", "57P03", "57P01"}) {
            assertThat(SlotLock.refused(new SQLException("down", down))).as(down).isTrue();
        }
        for (String failure : new String[] {"28P01", "3D000", "42501", null}) {
            assertThat(SlotLock.refused(new SQLException("failure", failure))).as(String.valueOf(failure)).isFalse();
        }
    }
}
