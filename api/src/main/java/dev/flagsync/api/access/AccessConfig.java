package dev.flagsync.api.access;

import dev.flagsync.shared.config.Env;
import java.util.List;

/** Access control settings: who may read, which proxies are believed, the rate limits. */
public record AccessConfig(ReadMode readMode, List<String> trustedProxies, RateLimits rateLimits) {

    public static AccessConfig from(Env env, boolean readTokensSet) {
        List<String> proxies = env.list("TRUSTED_PROXIES");
        ClientAddresses.trusting(proxies); // validates at start, naming the variable
        return new AccessConfig(ReadMode.from(env, readTokensSet), proxies, RateLimits.from(env));
    }

    @Override
    public String toString() {
        return "readAccess=" + readMode.name().toLowerCase(java.util.Locale.ROOT) + ", trustedProxies=" + trustedProxies
                + ", rateLimits=[" + rateLimits + "]";
    }
}
