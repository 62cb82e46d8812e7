package dev.flagsync.evaluator.condition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemanticVersionTest {

    /* Precedence examples of semver.org §11, plus build metadata and wide numbers. */
    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1.0.0-alpha, 1.0.0-alpha.1",
            "1.0.0-alpha.1, 1.0.0-alpha.beta",
            "1.0.0-alpha.beta, 1.0.0-beta",
            "1.0.0-beta, 1.0.0-beta.2",
            "1.0.0-beta.2, 1.0.0-beta.11",
            "1.0.0-beta.11, 1.0.0-rc.1",
            "1.0.0-rc.1, 1.0.0",
            "1.9.0, 1.10.0",
            "1.2.3, 10.0.0",
            "2.0.0-alpha.1, 2.0.0-alpha.3",
            "4294967296.0.0, 4294967297.0.0",
    })
    void ordersByPrecedence(String lower, String higher) {
        assertThat(SemanticVersion.parse(lower)).isLessThan(SemanticVersion.parse(higher));
        assertThat(SemanticVersion.parse(higher)).isGreaterThan(SemanticVersion.parse(lower));
    }

    @ParameterizedTest
    @CsvSource({"1.2.3+build.5, 1.2.3", "1.2.3-rc.1+a, 1.2.3-rc.1+b"})
    void ignoresBuildMetadata(String a, String b) {
        assertThat(SemanticVersion.parse(a)).isEqualByComparingTo(SemanticVersion.parse(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.2.3", "=1.2.3", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3+",
            "1.2.3-a..b", " 1.2.3", "1.2.3 ", "not a semver", "", "1.2.x", "1.2.3-ü"})
    void refusesWhatSemverDoesNotAllow(String text) {
        assertThat(SemanticVersion.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "1.2.3-0", "1.2.3-alpha-1.x-y", "1.2.3+001", "1.0.0-0A.is.legal"})
    void acceptsValidVersions(String text) {
        assertThat(SemanticVersion.parse(text)).isNotNull();
    }
}
