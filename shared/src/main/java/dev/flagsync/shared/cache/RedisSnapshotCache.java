package dev.flagsync.shared.cache;

import dev.flagsync.shared.flag.EncodedSnapshot;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.InvalidFlagException;
import dev.flagsync.shared.propagation.Micros;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** {@link SnapshotCache} on Redis: one key per environment, JSON value, Lua compare-and-set. */
public final class RedisSnapshotCache implements SnapshotCache {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSnapshotCache.class);

    /**
     * KEYS[1] snapshot key; ARGV[1] JSON, ARGV[2] version, ARGV[3] TTL seconds. Drops the write
     * when the stored snapshot is newer; a stored value that is not a snapshot is replaced.
     */
    static final String PUT_IF_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local ok, decoded = pcall(cjson.decode, current)
              if ok and type(decoded) == 'table' then
                local stored = tonumber(decoded['version'])
                if stored and stored > tonumber(ARGV[2]) then
                  return 0
                end
              end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
            return 1
            """;

    private final UnifiedJedis redis;
    private final String ttlSeconds;
    private final String putIfNewerSha;

    public RedisSnapshotCache(UnifiedJedis redis, Duration ttl) {
        this.redis = redis;
        this.ttlSeconds = Long.toString(ttl.toSeconds());
        this.putIfNewerSha = sha1Hex(PUT_IF_NEWER);
    }

    @Override
    public Optional<EncodedSnapshot> get(String environment) {
        byte[] json = redis.get(RedisKeys.snapshot(environment).getBytes(StandardCharsets.UTF_8));
        if (json == null) {
            return Optional.empty();
        }
        try {
            EncodedSnapshot decoded = FlagJson.decode(json);
            if (!decoded.environment().equals(environment)) {
                LOG.warn("ignoring Redis snapshot for {}: it names environment {}", environment, decoded.environment());
                return Optional.empty();
            }
            return Optional.of(decoded);
        } catch (InvalidFlagException e) {
            // Treated as a miss: the next fill from the database replaces it.
            LOG.warn("ignoring unreadable Redis snapshot for {}: {}", environment, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public boolean putIfNewer(EncodedSnapshot snapshot) {
        List<String> keys = List.of(RedisKeys.snapshot(snapshot.environment()));
        List<String> args = List.of(new String(snapshot.json(), StandardCharsets.UTF_8),
                Long.toString(snapshot.version()), ttlSeconds);
        Object result;
        try {
            result = redis.evalsha(putIfNewerSha, keys, args);
        } catch (JedisNoScriptException e) {
            // First call on this server (or after SCRIPT FLUSH / a restart): EVAL loads it.
            result = redis.eval(PUT_IF_NEWER, keys, args);
        }
        return Long.valueOf(1L).equals(result);
    }

    /** Stamped with the time of sending, for the API's publish-to-notice stage. */
    @Override
    public void publishChange(String environment, long version) {
        redis.publish(RedisKeys.CHANGES_CHANNEL, new ChangeNotice(environment, version, Micros.now()).json());
    }

    /**
     * The environments that have a snapshot in Redis (SCAN, so Redis is never blocked), for a
     * process that must find out what exists while PostgreSQL cannot tell it.
     */
    public Set<String> environments() {
        Set<String> environments = new TreeSet<>();
        ScanParams params = new ScanParams().match(RedisKeys.SNAPSHOT_PREFIX + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                String environment = key.substring(RedisKeys.SNAPSHOT_PREFIX.length());
                if (FlagNames.isEnvironment(environment)) {
                    environments.add(environment);
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return environments;
    }

    private static String sha1Hex(String script) {
        return org.apache.commons.codec.digest.DigestUtils.sha1Hex(script.getBytes(StandardCharsets.UTF_8));
    }
}
