-- Unleash's rule model (issue 8, contract section 6): strategies, variants and dependencies of a
-- flag as jsonb in Unleash's shapes, and the environment's segments. Existing rows keep their
-- meaning: strategies NULL is enabled plus rollout_percentage, as before.
-- jOOQ generates its classes from the plain statements; the blocks between the "jooq ignore"
-- markers are PostgreSQL-only.

ALTER TABLE feature_flags ADD COLUMN strategies jsonb;
ALTER TABLE feature_flags ADD COLUMN variants jsonb;
ALTER TABLE feature_flags ADD COLUMN dependencies jsonb;
ALTER TABLE feature_flags ADD COLUMN impression_data boolean NOT NULL DEFAULT false;

-- Segments: named lists of constraints that strategies of the same environment refer to by id.
CREATE TABLE flag_segments (
    environment text        NOT NULL,
    segment_id  integer     NOT NULL,
    name        text        NOT NULL,
    description text,
    constraints jsonb       NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- [jooq ignore start]
-- A rollout percentage beside strategies would be silently ignored, so it is refused instead:
-- a flexibleRollout strategy says the same thing in the rule model.
ALTER TABLE feature_flags ADD CONSTRAINT feature_flags_strategies_without_rollout
    CHECK (strategies IS NULL OR rollout_percentage = 100);

-- Unleash's flag names (spec file 18 has UTF-8 ones): 1 to 255 characters, no control characters
-- (C0, DEL and C1, as Java's Character.isISOControl), no '/'. FlagNames checks the same rule.
ALTER TABLE feature_flags DROP CONSTRAINT feature_flags_key_format;
ALTER TABLE feature_flags ADD CONSTRAINT feature_flags_key_format
    CHECK (char_length(flag_key) BETWEEN 1 AND 255 AND flag_key !~ '[\x01-\x1f\x7f-\x9f/]');

ALTER TABLE flag_segments ADD CONSTRAINT flag_segments_pkey PRIMARY KEY (environment, segment_id);
ALTER TABLE flag_segments
    ADD CONSTRAINT flag_segments_environment_format CHECK (environment ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    ADD CONSTRAINT flag_segments_id_positive CHECK (segment_id >= 1),
    ADD CONSTRAINT flag_segments_name_length CHECK (char_length(name) BETWEEN 1 AND 255);

-- A delete's before-image must name its environment for change capture.
ALTER TABLE flag_segments REPLICA IDENTITY FULL;

-- The same triggers as feature_flags: updated_at moves on every UPDATE, every write bumps its
-- environment's version in the writing transaction (so readers see flags, segments and version
-- agree), a TRUNCATE bumps every environment, and every change is audited.
CREATE TRIGGER flag_segments_touch_updated_at
    BEFORE UPDATE ON flag_segments
    FOR EACH ROW EXECUTE FUNCTION flagsync_touch_updated_at();
CREATE TRIGGER flag_segments_bump_version
    AFTER INSERT OR UPDATE OR DELETE ON flag_segments
    FOR EACH ROW EXECUTE FUNCTION flagsync_on_flag_change();
CREATE TRIGGER flag_segments_truncate_bumps_versions
    AFTER TRUNCATE ON flag_segments
    FOR EACH STATEMENT EXECUTE FUNCTION flagsync_on_flag_truncate();
CREATE TRIGGER flag_segments_audit
    AFTER INSERT OR UPDATE OR DELETE ON flag_segments
    FOR EACH ROW EXECUTE FUNCTION flagsync_audit('segment_id', 'environment');
CREATE TRIGGER flag_segments_audit_truncate
    AFTER TRUNCATE ON flag_segments
    FOR EACH STATEMENT EXECUTE FUNCTION flagsync_audit_truncate();
-- [jooq ignore stop]
