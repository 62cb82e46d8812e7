-- API tokens and the audit log of every change, by any writer (issue 9, contract section 7).
-- jOOQ generates its classes from the plain tables; the blocks between the "jooq ignore"
-- markers are PostgreSQL-only.

-- Only a SHA-256 of each secret is kept. `environments` is a list, or {'*'} for all.
CREATE TABLE api_tokens (
    id           uuid        NOT NULL,
    name         text        NOT NULL,
    type         text        NOT NULL,
    environments text[]      NOT NULL,
    secret_hash  bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);

-- One row; its version rises with every committed change to api_tokens (a trigger), so an API
-- instance learns of a created or revoked token with one cheap poll of this row.
CREATE TABLE api_token_versions (
    id      integer NOT NULL,
    version bigint  NOT NULL
);

-- Appended to by triggers in the writing transaction, so a rolled-back write leaves no row.
CREATE TABLE audit_log (
    id          bigint      NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    tx_id       bigint      NOT NULL,
    table_name  text        NOT NULL,
    environment text,
    entity_key  text,
    operation   text        NOT NULL,
    before      jsonb,
    after       jsonb,
    actor       jsonb       NOT NULL
);

-- [jooq ignore start]
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);
ALTER TABLE api_tokens ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE api_tokens
    ADD CONSTRAINT api_tokens_type CHECK (type IN ('admin', 'server', 'frontend')),
    ADD CONSTRAINT api_tokens_name_length CHECK (length(name) BETWEEN 1 AND 200),
    ADD CONSTRAINT api_tokens_environments CHECK (
        cardinality(environments) BETWEEN 1 AND 100
        AND (environments = ARRAY['*']::text[]
             OR array_to_string(environments, ',') ~ '^[a-z0-9][a-z0-9_-]{0,62}(,[a-z0-9][a-z0-9_-]{0,62})*$')),
    ADD CONSTRAINT api_tokens_hash_length CHECK (length(secret_hash) = 32);
CREATE UNIQUE INDEX api_tokens_secret_hash ON api_tokens (secret_hash);

ALTER TABLE api_token_versions ADD CONSTRAINT api_token_versions_pkey PRIMARY KEY (id);
ALTER TABLE api_token_versions ADD CONSTRAINT api_token_versions_one_row CHECK (id = 1);
INSERT INTO api_token_versions (id, version) VALUES (1, 0);

CREATE FUNCTION flagsync_bump_token_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE api_token_versions SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER api_tokens_bump_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION flagsync_bump_token_version();

-- Creates a token and returns its secret: the only time it is ever seen. The format,
-- <type>:<environment, * for all, [] for several>.<43 characters of base64url>, lets people
-- tell tokens apart; the API finds a token by the hash of the whole secret, never by parsing
-- it. The random part is 256 bits from two gen_random_uuid() calls (pg_strong_random, 244
-- random bits) hashed with a third, so no extension is needed.
CREATE FUNCTION flagsync_create_token(token_name text, token_type text, token_environments text[],
                                      token_expires_at timestamptz DEFAULT NULL,
                                      OUT id uuid, OUT secret text)
LANGUAGE plpgsql AS $$
DECLARE
    label  text := CASE
        WHEN token_environments = ARRAY['*']::text[] THEN '*'
        WHEN cardinality(token_environments) = 1 THEN token_environments[1]
        ELSE '[]' END;
    random text := rtrim(translate(encode(sha256(convert_to(
        gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'base64'),
        '+/', '-_'), '=');
BEGIN
    secret := token_type || ':' || label || '.' || random;
    INSERT INTO api_tokens (name, type, environments, secret_hash, expires_at)
    VALUES (token_name, token_type, token_environments, sha256(convert_to(secret, 'UTF8')), token_expires_at)
    RETURNING api_tokens.id INTO id;
END
$$;

-- The audit log.
ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);
ALTER TABLE audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_operation
    CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'));
CREATE INDEX audit_log_environment ON audit_log (environment, id);
CREATE INDEX audit_log_entity ON audit_log (environment, entity_key, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- Who made the change. Every writer is recorded by its database session; the admin API adds
-- the token's name with set_config('flagsync.actor', <name>, true) in the same transaction
-- (a psql user may set it too, to sign a change: it is a label, the session user is not).
CREATE FUNCTION flagsync_audit_actor() RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'token', nullif(current_setting('flagsync.actor', true), ''),
        'tokenId', nullif(current_setting('flagsync.actor_token_id', true), ''),
        'user', session_user::text,
        'application', nullif(current_setting('application_name', true), ''),
        'address', host(inet_client_addr())));
$$;

-- One generic row trigger for any audited table:
--   TG_ARGV[0] the key column, TG_ARGV[1] the environment column ('' if none),
--   TG_ARGV[2] (optional) a column never to record, e.g. a secret's hash.
-- So a later table needs only its own CREATE TRIGGER, e.g.
--   CREATE TRIGGER flag_segments_audit AFTER INSERT OR UPDATE OR DELETE ON flag_segments
--     FOR EACH ROW EXECUTE FUNCTION flagsync_audit('segment_id', 'environment');
--   CREATE TRIGGER flag_segments_audit_truncate AFTER TRUNCATE ON flag_segments
--     FOR EACH STATEMENT EXECUTE FUNCTION flagsync_audit_truncate();
-- SECURITY DEFINER: a writer needs no right on audit_log, so it cannot edit the log either.
CREATE FUNCTION flagsync_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    key_column  text := TG_ARGV[0];
    env_column  text := nullif(TG_ARGV[1], '');
    hidden      text := coalesce(TG_ARGV[2], '');
    before_row  jsonb;
    after_row   jsonb;
    actor       jsonb := flagsync_audit_actor();
    env         text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        before_row := to_jsonb(OLD) - hidden;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        after_row := to_jsonb(NEW) - hidden;
    END IF;
    -- A row moved between environments is recorded under both.
    FOR env IN SELECT DISTINCT e FROM unnest(ARRAY[after_row ->> env_column, before_row ->> env_column]) AS e
               WHERE e IS NOT NULL OR env_column IS NULL LOOP
        INSERT INTO audit_log (tx_id, table_name, environment, entity_key, operation, before, after, actor)
        VALUES (txid_current(), TG_TABLE_NAME, env, coalesce(after_row, before_row) ->> key_column, TG_OP,
                before_row, after_row, actor);
        EXIT WHEN env_column IS NULL;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION flagsync_audit_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO audit_log (tx_id, table_name, operation, actor)
    VALUES (txid_current(), TG_TABLE_NAME, 'TRUNCATE', flagsync_audit_actor());
    RETURN NULL;
END
$$;

CREATE TRIGGER feature_flags_audit
    AFTER INSERT OR UPDATE OR DELETE ON feature_flags
    FOR EACH ROW EXECUTE FUNCTION flagsync_audit('flag_key', 'environment');
CREATE TRIGGER feature_flags_audit_truncate
    AFTER TRUNCATE ON feature_flags
    FOR EACH STATEMENT EXECUTE FUNCTION flagsync_audit_truncate();
CREATE TRIGGER api_tokens_audit
    AFTER INSERT OR UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION flagsync_audit('id', '', 'secret_hash');
CREATE TRIGGER api_tokens_audit_truncate
    AFTER TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION flagsync_audit_truncate();
-- [jooq ignore stop]
