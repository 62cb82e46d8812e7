package dev.flagsync.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flagsync.api.admin.ImportPlan;
import dev.flagsync.api.admin.ImportWrites;
import dev.flagsync.api.unleash.UnleashImport;
import dev.flagsync.shared.db.FlagStore;
import dev.flagsync.shared.flag.FlagJson;
import dev.flagsync.shared.flag.FlagNames;
import dev.flagsync.shared.flag.InvalidFlagException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/environments/{env}/import} (admin, contract section 8): Unleash's client
 * features or feature export in, flags and segments stored in one transaction, 200 with what was
 * imported, what was refused and why, and which fields were left out. {@code ?dryRun=true} answers
 * the same and changes nothing; {@code ?validation=lenient} also stores rules the lenient read
 * path evaluates as Unleash does, with their errors as warnings ({@link ImportWrites.Strictness}).
 * Like every admin write it goes to PostgreSQL only.
 */
public final class ImportResource implements Resource {

    /** Largest import body: a few thousand flags with their strategies. */
    static final int MAX_IMPORT_BYTES = 16 * 1024 * 1024;

    private final AdminResource admin;
    private final ImportWrites writes = new ImportWrites();

    public ImportResource(AdminResource admin) {
        this.admin = admin;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/environments/{env}/import", this::importAll);
    }

    private void importAll(Context ctx) {
        String env = FlagNames.requireEnvironment(ctx.pathParam("env"));
        FlagStore writer = admin.writerFor(ctx, env);
        boolean dryRun = dryRun(ctx.queryParam("dryRun"));
        ImportWrites.Strictness strictness = strictness(ctx.queryParam("validation"));
        JsonNode body = FlagJson.readTree(Bodies.read(ctx, MAX_IMPORT_BYTES));
        ImportPlan.Outcome outcome = writes.importAll(writer, env, current -> UnleashImport.plan(body, current), strictness, dryRun);
        ctx.contentType("application/json").result(FlagJson.write(outcome));
    }

    private static ImportWrites.Strictness strictness(String value) {
        if (value == null || value.equals("strict")) {
            return ImportWrites.Strictness.STRICT;
        }
        if (value.equals("lenient")) {
            return ImportWrites.Strictness.LENIENT;
        }
        throw new InvalidFlagException("validation must be strict or lenient");
    }

    private static boolean dryRun(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw new InvalidFlagException("dryRun must be true or false");
    }
}
