package dev.flagsync.api.http;

import io.javalin.config.RoutesConfig;

/** A group of routes; {@link ApiServer} registers the ones it is given, in the order given. */
public interface Resource {

    void register(RoutesConfig routes);
}
