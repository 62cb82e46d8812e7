-- The flags table that any client (psql, admin tools, the API) may write to.
-- jOOQ generates its classes from this file; the blocks between the
-- "jooq ignore" markers are PostgreSQL-only and skipped by jOOQ's parser.

CREATE TABLE feature_flags (
    environment        text        NOT NULL,
    flag_key           text        NOT NULL,
    enabled            boolean     NOT NULL DEFAULT false,
    rollout_percentage integer     NOT NULL DEFAULT 100,
    description        text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT feature_flags_rollout_range CHECK (rollout_percentage BETWEEN 0 AND 100)
);

-- One row per environment that was ever written; the version only rises.
CREATE TABLE flag_environment_versions (
    environment text        NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- [jooq ignore start]
-- jOOQ's parser turns text into a CLOB, which cannot be a key, so the keys are
-- declared here and repeated as synthetic keys in shared/pom.xml for codegen.
ALTER TABLE feature_flags ADD CONSTRAINT feature_flags_pkey PRIMARY KEY (environment, flag_key);
ALTER TABLE flag_environment_versions ADD CONSTRAINT flag_environment_versions_pkey PRIMARY KEY (environment);

ALTER TABLE feature_flags
    ADD CONSTRAINT feature_flags_environment_format CHECK (environment ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    ADD CONSTRAINT feature_flags_key_format CHECK (flag_key ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');

-- A delete's before-image must name its environment for change capture.
ALTER TABLE feature_flags REPLICA IDENTITY FULL;

-- A plain SQL UPDATE that does not set updated_at still moves it.
CREATE FUNCTION flagsync_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER feature_flags_touch_updated_at
    BEFORE UPDATE ON feature_flags
    FOR EACH ROW EXECUTE FUNCTION flagsync_touch_updated_at();

-- Bumps the environment's version inside the writing transaction. The row lock
-- on flag_environment_versions orders concurrent writers to one environment,
-- so versions rise in commit order. A row moved between environments bumps both.
CREATE FUNCTION flagsync_bump_version(env text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO flag_environment_versions AS v (environment, version)
    VALUES (env, 1)
    ON CONFLICT (environment) DO UPDATE SET version = v.version + 1, updated_at = now();
$$;

CREATE FUNCTION flagsync_on_flag_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM flagsync_bump_version(NEW.environment);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.environment IS DISTINCT FROM NEW.environment) THEN
        PERFORM flagsync_bump_version(OLD.environment);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER feature_flags_bump_version
    AFTER INSERT OR UPDATE OR DELETE ON feature_flags
    FOR EACH ROW EXECUTE FUNCTION flagsync_on_flag_change();
-- [jooq ignore stop]

-- [jooq ignore start]
-- TRUNCATE fires no row triggers: bump every known environment instead.
CREATE FUNCTION flagsync_on_flag_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE flag_environment_versions SET version = version + 1, updated_at = now();
    RETURN NULL;
END
$$;

CREATE TRIGGER feature_flags_truncate_bumps_versions
    AFTER TRUNCATE ON feature_flags
    FOR EACH STATEMENT EXECUTE FUNCTION flagsync_on_flag_truncate();
-- [jooq ignore stop]
