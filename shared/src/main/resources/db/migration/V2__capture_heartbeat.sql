-- One row that the sync worker's capture (Debezium heartbeat.action.query) rewrites every
-- few seconds. The table is in the capture's publication, so on a database where
-- feature_flags is idle but other tables are busy the replication slot still advances
-- and does not hold WAL back.
CREATE TABLE flagsync_heartbeat (
    id      integer     NOT NULL PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
