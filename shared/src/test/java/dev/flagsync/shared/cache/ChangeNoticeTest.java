package dev.flagsync.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagsync.shared.flag.InvalidFlagException;
import org.junit.jupiter.api.Test;

class ChangeNoticeTest {

    @Test
    void writesAndParsesTheContractMessage() {
        ChangeNotice notice = new ChangeNotice("production", 42);

        assertThat(notice.json()).isEqualTo("{\"environment\":\"production\",\"version\":42}");
        assertThat(ChangeNotice.parse(notice.json())).isEqualTo(notice);
        assertThat(ChangeNotice.parse("{\"version\":7,\"environment\":\"dev\",\"extra\":true}"))
                .isEqualTo(new ChangeNotice("dev", 7));
    }

    @Test
    void carriesWhenItWasPublishedWithoutMakingTheNoticeAnother() {
        ChangeNotice notice = new ChangeNotice("production", 42, 1_733_000_000_123_456L);

        assertThat(notice.json()).isEqualTo("{\"environment\":\"production\",\"version\":42,\"publishedAtMicros\":1733000000123456}");
        ChangeNotice parsed = ChangeNotice.parse(notice.json());
        assertThat(parsed.publishedAtMicros()).isEqualTo(1_733_000_000_123_456L);
        assertThat(parsed).isEqualTo(new ChangeNotice("production", 42)).hasSameHashCodeAs(new ChangeNotice("production", 42));
        assertThat(ChangeNotice.parse("{\"environment\":\"dev\",\"version\":7}").publishedAtMicros()).isZero();
        assertThat(ChangeNotice.parse("{\"environment\":\"dev\",\"version\":7,\"publishedAtMicros\":\"soon\"}").publishedAtMicros())
                .isZero();
    }

    @Test
    void rejectsMalformedMessages() {
        assertThatThrownBy(() -> ChangeNotice.parse("{\"environment\":\"production\"}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> ChangeNotice.parse("{\"environment\":\"Bad Env\",\"version\":1}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> ChangeNotice.parse("{\"environment\":1,\"version\":1}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> ChangeNotice.parse("{\"environment\":\"dev\",\"version\":-1}")).isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> ChangeNotice.parse("nope")).isInstanceOf(InvalidFlagException.class);
    }
}
