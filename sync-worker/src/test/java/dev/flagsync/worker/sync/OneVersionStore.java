package dev.flagsync.worker.sync;

import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.Flag;
import dev.flagsync.shared.flag.FlagUpdate;
import dev.flagsync.shared.flag.Snapshot;
import java.util.List;
import java.util.Map;

/** A store in which every environment is empty at version 1. */
final class OneVersionStore implements FlagStore {

    @Override
    public Snapshot load(String environment) {
        return new Snapshot(environment, 1, List.of());
    }

    @Override
    public Flag upsert(String environment, String key, FlagUpdate update) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String environment, String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Long> versions() {
        return Map.of();
    }
}
