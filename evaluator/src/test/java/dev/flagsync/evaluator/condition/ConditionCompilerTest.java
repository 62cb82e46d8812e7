package dev.flagsync.evaluator.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.model.Constraint;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionCompilerTest {

    private static final Host HOST = new Host("h", InstantSource.fixed(Instant.parse("2026-06-01T12:00:00Z")),
            bound -> { throw new AssertionError("constraints never draw random numbers"); });

    private final List<String> warnings = new ArrayList<>();

    private Condition compile(Constraint constraint) {
        return ConditionCompiler.compile(constraint, "$.c", (path, message) -> warnings.add(path + ": " + message));
    }

    private boolean test(Constraint constraint, Context context) {
        return compile(constraint).test(context, HOST);
    }

    private static Context property(String name, String value) {
        return Context.builder().property(name, value).build();
    }

    private static Constraint single(String operator, String value, boolean inverted) {
        return new Constraint("v", operator, null, value, false, inverted);
    }

    private static Constraint list(String operator, boolean caseInsensitive, String... values) {
        return new Constraint("v", operator, Arrays.asList(values), null, caseInsensitive, false);
    }

    @ParameterizedTest(name = "{0} {1} against \"{2}\" -> {3}")
    @CsvSource({
            "NUM_EQ, 12, 12.0, true",
            "NUM_EQ, 12, ' 12 ', true",
            "NUM_EQ, 0, -0, true",
            "NUM_EQ, 7, 007, true",
            "NUM_EQ, 5, +5, true",
            "NUM_LT, -3, -4, true",
            "NUM_EQ, 1234567890123456789, 1234567890123456789, true",
            "NUM_EQ, 12, '-', false",
            "NUM_EQ, 12, '', false",
            "NUM_EQ, 12, abc, false",
            "NUM_EQ, 12, NaN, false",
            "NUM_EQ, 16, 0x10, false",
            "NUM_EQ, 12, 12d, false",
            "NUM_GT, 1e3, 1001, true",
            "NUM_LTE, -1.5, -1.5, true",
            "SEMVER_EQ, 1.2.3, 1.2.3+build, true",
            "SEMVER_GTE, 2.0.0-rc.1, 2.0.0, true",
            "SEMVER_LT, 2.0.0, v1.0.0, false",
            "REGEX, ^[[:alpha:]]+$, AlphaBeta, true",
            "REGEX, 'id-\\d+', my-id-42-x, true",
            "REGEX, ^(a)\\1$, aa, false",
            "DATE_AFTER, 2026-06-01T12:00:00Z, 2026-06-01T14:00:00+02:00, false",
            "DATE_AFTER, 2026-06-01T12:00:00Z, 2026-06-01T14:00:01+02:00, true",
    })
    void comparesAsUnleashDoes(String operator, String value, String contextValue, boolean expected) {
        Context context = operator.startsWith("DATE")
                ? Context.builder().currentTime(contextValue).build()
                : property("v", contextValue);
        assertThat(test(single(operator, value, false), context)).isEqualTo(expected);
    }

    @Test
    void datesUseTheHostClockWhenTheContextHasNoCurrentTime() {
        assertThat(test(single("DATE_AFTER", "2026-06-01T11:00:00Z", false), Context.empty())).isTrue();
        assertThat(test(single("DATE_BEFORE", "2026-06-01T11:00:00Z", false), Context.empty())).isFalse();
        // The constraint's contextName is ignored, as in every Unleash SDK.
        assertThat(test(new Constraint("anything", "DATE_AFTER", null, "2026-06-01T11:00:00Z", false, false),
                Context.empty())).isTrue();
    }

    @Test
    void anUnparsableCurrentTimeMatchesNoDate() {
        Context context = Context.builder().currentTime("yesterday").build();
        assertThat(test(single("DATE_AFTER", "2020-01-01T00:00:00Z", false), context)).isFalse();
        assertThat(test(single("DATE_BEFORE", "2030-01-01T00:00:00Z", false), context)).isFalse();
    }

    @Test
    void stringOperatorsIgnoreCaseOnlyWhenAsked() {
        Context context = property("v", "Test@Example.COM");
        assertThat(test(list("STR_ENDS_WITH", false, "example.com"), context)).isFalse();
        assertThat(test(list("STR_ENDS_WITH", true, "example.com"), context)).isTrue();
        assertThat(test(list("STR_CONTAINS", true, "@EXAMPLE"), context)).isTrue();
        assertThat(test(list("STR_STARTS_WITH", true, "TEST@"), context)).isTrue();
        assertThat(test(list("STR_STARTS_WITH", true, "Test@Example.COM.longer"), context)).isFalse();
    }

    @Test
    void inIgnoresCaseInsensitiveAndCleansValues() {
        assertThat(test(list("IN", true, "NORWAY"), property("v", "norway"))).isFalse();
        assertThat(test(list("IN", false, " norway ", null, ""), property("v", "norway"))).isTrue();
        assertThat(test(list("NOT_IN", false, "a", "b"), Context.empty())).isTrue();
        assertThat(test(list("IN", false, "a", "b"), Context.empty())).isFalse();
    }

    @Test
    void readsTopLevelFieldsThenThePropertyOfTheSameName() {
        Constraint userIn = new Constraint("userId", "IN", List.of("42"), null, false, false);
        assertThat(test(userIn, Context.ofUserId("42"))).isTrue();
        assertThat(test(userIn, property("userId", "42"))).isTrue();
        assertThat(test(userIn, Context.builder().userId("7").property("userId", "42").build())).isFalse();
    }

    @Test
    void invertedNegatesKnownOperatorsEvenOnUnparsableValues() {
        assertThat(test(single("NUM_EQ", "abc", true), property("v", "1"))).isTrue();
        assertThat(test(single("REGEX", "(unclosed", true), property("v", "x"))).isTrue();
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("$.c.value"));
    }

    @Test
    void unknownOperatorIsFalseEvenWhenInvertedAndIsReported() {
        assertThat(test(single("NOT_A_VALID_OPERATOR", "x", true), property("v", "x"))).isFalse();
        assertThat(warnings).containsExactly("$.c.operator: unknown operator NOT_A_VALID_OPERATOR: the constraint evaluates false");
    }

    @Test
    void cidrSkipsInvalidEntriesAndMatchesBothFamilies() {
        Condition cidr = compile(new Constraint("remoteAddress", "IN_CIDR", List.of("bad", "10.0.0.0/8", "2001:db8::/32"),
                null, false, false));
        assertThat(cidr.test(Context.builder().remoteAddress("10.1.2.3").build(), HOST)).isTrue();
        assertThat(cidr.test(Context.builder().remoteAddress("2001:db8::5").build(), HOST)).isTrue();
        assertThat(cidr.test(Context.builder().remoteAddress("11.0.0.1").build(), HOST)).isFalse();
        assertThat(cidr.test(Context.builder().remoteAddress("not-an-ip").build(), HOST)).isFalse();
        assertThat(warnings).containsExactly("$.c.values: \"bad\" is not an IP address or CIDR network: skipped");
    }

    @Test
    void regexIsUnanchoredAndHonoursCaseInsensitive() {
        assertThat(test(new Constraint("v", "REGEX", null, "b+", false, false), property("v", "abbbc"))).isTrue();
        assertThat(test(new Constraint("v", "REGEX", null, "^abc$", true, false), property("v", "ABC"))).isTrue();
        assertThat(test(new Constraint("v", "REGEX", null, "^abc$", false, false), property("v", "ABC"))).isFalse();
    }

    @Test
    void aNullConstraintIsFalse() {
        assertThat(test(null, Context.empty())).isFalse();
    }
}
