package dev.flagsync.shared.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentsTest {

    @Test
    void closesInReverseOrderAndGoesOnPastAFailure() {
        List<String> closed = new ArrayList<>();
        Components components = new Components();
        components.own(() -> closed.add("first"));
        components.own(() -> {
            closed.add("second");
            throw new IllegalStateException("boom");
        });
        components.own(() -> closed.add("third"));

        components.close();
        components.close();

        assertThat(closed).containsExactly("third", "second", "first");
    }
}
