package dev.flagsync.api.unleash;

import dev.flagsync.shared.flag.FlagJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The filters an Unleash server SDK may send with {@code /api/client/features}: {@code namePrefix},
 * {@code project} (repeatable) and {@code tag} ({@code type:value}, repeatable). flagsync has no
 * projects and no tags: every flag is in Unleash's {@code default} project and has no tags, so a
 * project filter keeps all flags exactly when it names {@code default}, and a tag filter keeps none.
 */
public record FeatureQuery(String namePrefix, List<String> projects, List<String> tags) {

    /** Unleash's project for everything that was not put in another one. */
    public static final String DEFAULT_PROJECT = "default";

    public static final FeatureQuery ALL = new FeatureQuery(null, List.of(), List.of());

    public FeatureQuery {
        namePrefix = namePrefix == null || namePrefix.isEmpty() ? null : namePrefix;
        projects = List.copyOf(projects);
        tags = List.copyOf(tags);
    }

    public boolean keeps(String flagName) {
        if (namePrefix != null && !flagName.startsWith(namePrefix)) {
            return false;
        }
        if (!projects.isEmpty() && !projects.contains(DEFAULT_PROJECT)) {
            return false;
        }
        return tags.isEmpty();
    }

    /** A stable text of the filters, for the ETag: equal queries give equal keys. */
    String key() {
        return new String(FlagJson.write(List.of(namePrefix == null ? "" : namePrefix, projects.stream().sorted().toList(),
                tags.stream().sorted().toList())), StandardCharsets.UTF_8);
    }
}
