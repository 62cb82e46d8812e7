package dev.flagsync.api.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.flag.InvalidFlagException;
import org.junit.jupiter.api.Test;

class ChangeTest {

    @Test
    void parsesTheContractMessage() {
        assertThat(Change.parse("{\"environment\":\"production\",\"version\":42}")).isEqualTo(new Change("production", 42));
    }

    @Test
    void rejectsMalformedMessages() {
        assertThatThrownBy(() -> Change.parse("{\"environment\":\"production\"}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> Change.parse("{\"environment\":\"Bad Env\",\"version\":1}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> Change.parse("{\"environment\":1,\"version\":1}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> Change.parse("nope")).isInstanceOf(InvalidFlagException.class);
    }
}
