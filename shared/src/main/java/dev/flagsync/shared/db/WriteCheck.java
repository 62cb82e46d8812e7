package dev.flagsync.shared.db;

import dev.flagsync.shared.flag.Snapshot;

/**
 * A check of an admin write against the environment as stored, run in the writing transaction
 * while no other admin write to the environment can commit, so what it checked still holds when
 * the write commits (writers that bypass the admin API, e.g. psql, are not held back). Throws to
 * refuse the write, which is then rolled back.
 */
@FunctionalInterface
public interface WriteCheck {

    WriteCheck NONE = current -> { };

    void check(Snapshot current);
}
