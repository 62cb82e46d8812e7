package dev.flagsync.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.evaluator.validate.RuleValidator;
import dev.flagsync.evaluator.validate.ValidationError;
import dev.flagsync.evaluator.validate.ValidationScope;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.db.WriteCheck;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Segment;
import dev.flagsync.shared.flag.SegmentUpdate;
import dev.flagsync.shared.flag.Snapshot;
import dev.flagsync.shared.flag.StoredSegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin API's writes of flags and segments: strict where the read path is lenient. A body is
 * checked field by field ({@link RuleValidator}: operators, RE2 patterns, semantic versions,
 * weights, segment ids that exist, dependencies one level deep on flags that exist), against the
 * environment as stored, inside the writing transaction ({@link FlagStore}'s checked writes), so
 * a concurrent admin write cannot slip a missing segment or a second level of dependencies past
 * the check. Deletes that would leave other flags referring to nothing are refused. Pure of HTTP.
 */
public final class RuleWrites {

    /** Creates or replaces a flag from an admin body; throws {@link RulesRefusedException} with every error found. */
    public Flag putFlag(FlagStore writer, String environment, String key, byte[] body) {
        FlagNames.requireKey(key);
        JsonNode json = FlagJson.readTree(body);
        List<ValidationError> fieldErrors = flagFields(json);
        if (!fieldErrors.isEmpty()) {
            throw new RulesRefusedException("flag " + key, fieldErrors);
        }
        FlagUpdate update = FlagJson.readUpdate(json);
        return writer.upsert(environment, key, update, current -> {
            List<ValidationError> errors = RuleValidator.validateFeature(key, json, scope(current));
            if (!errors.isEmpty()) {
                throw new RulesRefusedException("flag " + key, errors);
            }
        });
    }

    /** Deletes a flag unless other flags depend on it; false when there was none. */
    public boolean deleteFlag(FlagStore writer, String environment, String key) {
        FlagNames.requireKey(key);
        return writer.delete(environment, key, current -> {
            List<String> children = current.flags().stream()
                    .filter(flag -> !flag.key().equals(key) && parents(flag).contains(key))
                    .map(Flag::key).sorted().toList();
            if (!children.isEmpty()) {
                throw new StillInUseException("flag " + key + " cannot be deleted: flags " + String.join(", ", children)
                        + " depend on it; change or delete them first", children);
            }
        });
    }

    /** Creates or replaces segment {@code id} from an admin body ({@code name}, {@code description}, {@code constraints}). */
    public StoredSegment putSegment(FlagStore writer, String environment, int id, byte[] body) {
        JsonNode json = FlagJson.readTree(body);
        List<ValidationError> errors = new ArrayList<>(RuleValidator.validateSegment(json));
        errors.addAll(nulCharacters(json, "$"));
        if (json.isObject()) {
            JsonNode bodyId = json.get("id");
            if (bodyId != null && !bodyId.isNull() && !(bodyId.isIntegralNumber() && bodyId.canConvertToInt() && bodyId.intValue() == id)) {
                errors.add(new ValidationError("$.id", bodyId + " differs from the segment id " + id + " of the path"));
            }
            errors.addAll(description(json));
        }
        if (!errors.isEmpty()) {
            throw new RulesRefusedException("segment " + id, errors);
        }
        // Nothing stored can make a valid segment invalid: no check, no lock.
        return writer.upsertSegment(environment, id, segmentUpdate(json), WriteCheck.NONE);
    }

    /** A segment body that passed {@link RuleValidator#validateSegment} as the store takes it. */
    static SegmentUpdate segmentUpdate(JsonNode json) {
        JsonNode description = json.get("description");
        return new SegmentUpdate(json.get("name").textValue(),
                description == null || description.isNull() ? null : description.textValue(), json.get("constraints"));
    }

    /** Deletes a segment unless a flag's strategy still names it; false when there was none. */
    public boolean deleteSegment(FlagStore writer, String environment, int id) {
        return writer.deleteSegment(environment, id, current -> {
            List<String> users = current.flags().stream().filter(flag -> segmentIds(flag).contains(id))
                    .map(Flag::key).sorted().toList();
            if (!users.isEmpty()) {
                throw new StillInUseException("segment " + id + " cannot be deleted: flags " + String.join(", ", users)
                        + " use it; remove it from their strategies first", users);
            }
        });
    }

    /**
     * The body's fields and their JSON types, checked before the body is read into an update; what
     * is inside the rules is the validator's, against the environment as stored.
     */
    static List<ValidationError> flagFields(JsonNode json) {
        List<ValidationError> errors = new ArrayList<>();
        if (!json.isObject()) {
            errors.add(new ValidationError("$", "must be a JSON object"));
            return errors;
        }
        new TreeSet<>(iterable(json)).stream().filter(field -> !FlagJson.UPDATE_FIELDS.contains(field))
                .forEach(field -> errors.add(new ValidationError("$." + field,
                        "unknown property (allowed: " + String.join(", ", FlagJson.UPDATE_FIELDS) + ")")));
        for (String field : List.of("enabled", "impressionData")) {
            if (json.has(field) && !json.get(field).isBoolean()) {
                errors.add(new ValidationError("$." + field, "must be true or false"));
            }
        }
        JsonNode rollout = json.get("rolloutPercentage");
        if (json.has("rolloutPercentage")
                && (!rollout.isIntegralNumber() || !rollout.canConvertToInt() || rollout.intValue() < 0 || rollout.intValue() > 100)) {
            errors.add(new ValidationError("$.rolloutPercentage", "must be an integer from 0 to 100"));
        }
        for (String field : List.of("strategies", "variants", "dependencies")) {
            if (present(json, field) && !json.get(field).isArray()) {
                errors.add(new ValidationError("$." + field, "must be an array or null"));
            }
        }
        errors.addAll(description(json));
        errors.addAll(nulCharacters(json, "$"));
        return errors;
    }

    /**
     * Strings holding U+0000, which PostgreSQL stores neither in text nor in jsonb: refused here
     * with their path, rather than failing the write in the database.
     */
    static List<ValidationError> nulCharacters(JsonNode node, String path) {
        List<ValidationError> errors = new ArrayList<>();
        if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
            errors.add(new ValidationError(path, "must not contain the character U+0000"));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                errors.addAll(nulCharacters(node.get(i), path + "[" + i + "]"));
            }
        } else if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().indexOf('\0') >= 0) {
                    errors.add(new ValidationError(path, "property names must not contain the character U+0000"));
                } else {
                    errors.addAll(nulCharacters(entry.getValue(), path + "." + entry.getKey()));
                }
            });
        }
        return errors;
    }

    private static boolean present(JsonNode object, String field) {
        return object.has(field) && !object.get(field).isNull();
    }

    static List<ValidationError> description(JsonNode json) {
        JsonNode description = json.get("description");
        if (description == null || description.isNull()) {
            return List.of();
        }
        if (!description.isTextual()) {
            return List.of(new ValidationError("$.description", "must be a string or null"));
        }
        if (description.textValue().length() > FlagUpdate.MAX_DESCRIPTION_LENGTH) {
            return List.of(new ValidationError("$.description", "must be at most " + FlagUpdate.MAX_DESCRIPTION_LENGTH + " characters"));
        }
        return List.of();
    }

    /** What the environment holds, as the validator needs it: segment ids, flags, and who depends on whom. */
    static ValidationScope scope(Snapshot current) {
        Set<Integer> segments = new HashSet<>();
        current.segments().stream().map(Segment::id).forEach(segments::add);
        Set<String> keys = new HashSet<>();
        Set<String> withDependencies = new HashSet<>();
        Set<String> parents = new HashSet<>();
        for (Flag flag : current.flags()) {
            keys.add(flag.key());
            Set<String> own = parents(flag);
            if (!own.isEmpty()) {
                withDependencies.add(flag.key());
                parents.addAll(own);
            }
        }
        return new ValidationScope(segments, keys, withDependencies, parents);
    }

    /** The flags a stored flag names as dependencies (read leniently: what psql stored may be anything). */
    static Set<String> parents(Flag flag) {
        return parents(flag.dependencies());
    }

    /** The flags a dependencies array names; anything else reads as none. */
    static Set<String> parents(JsonNode dependencies) {
        Set<String> parents = new HashSet<>();
        if (dependencies != null && dependencies.isArray()) {
            for (JsonNode dependency : dependencies) {
                JsonNode feature = dependency.get("feature");
                if (feature != null && feature.isTextual()) {
                    parents.add(feature.textValue());
                }
            }
        }
        return parents;
    }

    /** The segment ids a stored flag's strategies name. */
    private static Set<Integer> segmentIds(Flag flag) {
        Set<Integer> ids = new HashSet<>();
        if (flag.strategies() != null && flag.strategies().isArray()) {
            for (JsonNode strategy : flag.strategies()) {
                JsonNode segments = strategy.get("segments");
                if (segments != null && segments.isArray()) {
                    segments.forEach(id -> {
                        if (id.canConvertToInt()) {
                            ids.add(id.intValue());
                        }
                    });
                }
            }
        }
        return ids;
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
