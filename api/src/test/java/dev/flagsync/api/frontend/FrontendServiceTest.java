package dev.flagsync.api.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.rules.RulesCache;
import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Evaluator;
import dev.flagsync.evaluator.Host;
import dev.flagsync.evaluator.RandomSource;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.Snapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frontend answer: only enabled toggles, each with Unleash's variant object, and an ETag of the answer itself. */
class FrontendServiceTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private final FrontendService service = new FrontendService(new RulesCache(),
            new Evaluator(new Host("api-1", InstantSource.fixed(AT), RandomSource.threadLocal())));

    private static Flag flag(String key, boolean enabled, String strategies, String variants, boolean impressionData) {
        return new Flag(key, enabled, 100, null, AT, tree(strategies), tree(variants), null, impressionData);
    }

    private static JsonNode tree(String json) {
        return json == null ? null : FlagJson.readTree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Flag> flags() {
        return new ArrayList<>(List.of(
                flag("beta", true, "[{\"name\":\"userWithId\",\"parameters\":{\"userIds\":\"alice, bob\"}}]", null, false),
                flag("banner", true, "[]", """
                        [{"name":"blue","weight":1,"payload":{"type":"string","value":"Buy now"},
                          "overrides":[{"contextName":"userId","values":["alice"]}]},
                         {"name":"green","weight":0,"overrides":[{"contextName":"userId","values":["bob"]}]}]""", true),
                flag("nordic", true, "[{\"name\":\"default\",\"parameters\":{},\"segments\":[1]}]", null, false),
                flag("dark", false, "[]", null, false),
                new Flag("legacy-on", true, 100, null, AT),
                new Flag("legacy-off", false, 100, null, AT)));
    }

    private static Snapshot snapshot(long version, List<Flag> flags) {
        return new Snapshot("web", version, flags, List.of(new Segment(1, "nordics",
                tree("[{\"contextName\":\"country\",\"operator\":\"IN\",\"values\":[\"NO\",\"SE\"]}]"))));
    }

    private FrontendAnswer answer(Snapshot snapshot, String userId, String country) {
        Context.Builder context = Context.builder().userId(userId).sessionId("s1");
        if (country != null) {
            context.property("country", country);
        }
        return service.toggles(snapshot, context.build());
    }

    private static String text(FrontendAnswer answer) {
        return new String(answer.json(), StandardCharsets.UTF_8);
    }

    @Test
    void answersOnlyEnabledTogglesEachWithItsVariant() {
        assertThat(text(answer(snapshot(1, flags()), "alice", "NO"))).isEqualTo("{\"toggles\":["
                + "{\"name\":\"banner\",\"enabled\":true,\"variant\":{\"name\":\"blue\",\"enabled\":true,"
                + "\"payload\":{\"type\":\"string\",\"value\":\"Buy now\"},\"feature_enabled\":true,\"featureEnabled\":true},"
                + "\"impressionData\":true},"
                + "{\"name\":\"beta\",\"enabled\":true,\"variant\":{\"name\":\"disabled\",\"enabled\":false,"
                + "\"feature_enabled\":true,\"featureEnabled\":true},\"impressionData\":false},"
                + "{\"name\":\"legacy-on\",\"enabled\":true,\"variant\":{\"name\":\"disabled\",\"enabled\":false,"
                + "\"feature_enabled\":true,\"featureEnabled\":true},\"impressionData\":false},"
                + "{\"name\":\"nordic\",\"enabled\":true,\"variant\":{\"name\":\"disabled\",\"enabled\":false,"
                + "\"feature_enabled\":true,\"featureEnabled\":true},\"impressionData\":false}]}");
    }

    @Test
    void aVariantWithoutPayloadHasNone() {
        assertThat(text(answer(snapshot(1, flags()), "bob", null)))
                .contains("{\"name\":\"banner\",\"enabled\":true,\"variant\":{\"name\":\"green\",\"enabled\":true,"
                        + "\"feature_enabled\":true,\"featureEnabled\":true}");
    }

    @Test
    void aUserWithNothingOnGetsTheAlwaysOnTogglesOnly() {
        String toggles = text(answer(snapshot(1, flags()), "carol", "DK"));

        assertThat(toggles).contains("\"name\":\"banner\"", "\"name\":\"legacy-on\"")
                .doesNotContain("\"beta\"", "\"nordic\"", "\"dark\"", "\"legacy-off\"");
    }

    @Test
    void theEtagFollowsTheAnswerNotTheContextOrVersion() {
        Snapshot snapshot = snapshot(1, flags());
        FrontendAnswer alice = answer(snapshot, "alice", "NO");

        // Another user with another answer: another tag, so an SDK that re-sends alice's tag gets 200.
        FrontendAnswer carol = answer(snapshot, "carol", "NO");
        assertThat(carol.json()).isNotEqualTo(alice.json());
        assertThat(carol.etag()).isNotEqualTo(alice.etag());
        assertThat(carol.matches(alice.etag())).isFalse();

        // Same answer in a new version (an unrelated flag changed): same tag, so 304 stays right.
        List<Flag> changed = flags();
        changed.add(flag("unrelated", false, "[]", null, false));
        assertThat(answer(snapshot(2, changed), "alice", "NO").etag()).isEqualTo(alice.etag());

        // A change that alters alice's answer: a new tag.
        List<Flag> betaOff = flags();
        betaOff.set(0, flag("beta", false, "[{\"name\":\"userWithId\",\"parameters\":{\"userIds\":\"alice, bob\"}}]", null, false));
        assertThat(answer(snapshot(3, betaOff), "alice", "NO").etag()).isNotEqualTo(alice.etag());
    }

    @Test
    void etagsAreQuotedAndMatchWeakOrListedForms() {
        FrontendAnswer answer = answer(snapshot(1, flags()), "alice", "NO");

        assertThat(answer.etag()).matches("\"[0-9a-f]{24}\"");
        assertThat(answer.matches(answer.etag())).isTrue();
        assertThat(answer.matches("W/" + answer.etag())).isTrue();
        assertThat(answer.matches("\"other\", " + answer.etag())).isTrue();
        assertThat(answer.matches("*")).isFalse();
        assertThat(answer.matches(null)).isFalse();
    }

    @Test
    void anEmptyEnvironmentAnswersNoToggles() {
        assertThat(text(service.toggles(new Snapshot("web", 0, List.of()), Context.empty()))).isEqualTo("{\"toggles\":[]}");
    }
}
