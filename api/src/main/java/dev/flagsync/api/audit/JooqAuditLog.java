package dev.flagsync.api.audit;

import static dev.flagsync.shared.db.schema.Tables.AUDIT_LOG;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagsync.shared.flag.FlagJson;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** Reads the audit table that the database's triggers append to; keyset paging on the entry id. */
public final class JooqAuditLog {

    private static final ObjectMapper JSON_MAPPER = FlagJson.mapper();

    private final DSLContext dsl;

    public JooqAuditLog(DataSource dataSource) {
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    }

    public AuditPage page(AuditQuery query) {
        Condition where = DSL.trueCondition();
        if (query.environment() != null) {
            where = where.and(AUDIT_LOG.ENVIRONMENT.eq(query.environment()));
        }
        if (query.key() != null) {
            where = where.and(AUDIT_LOG.ENTITY_KEY.eq(query.key()));
        }
        if (query.beforeId() != null) {
            where = where.and(AUDIT_LOG.ID.lt(query.beforeId()));
        }
        if (query.beforeTime() != null) {
            where = where.and(AUDIT_LOG.AT.lt(OffsetDateTime.ofInstant(query.beforeTime(), ZoneOffset.UTC)));
        }
        var rows = dsl.selectFrom(AUDIT_LOG).where(where).orderBy(AUDIT_LOG.ID.desc()).limit(query.limit() + 1).fetch();
        List<AuditEntry> entries = new ArrayList<>(Math.min(rows.size(), query.limit()));
        for (int i = 0; i < rows.size() && i < query.limit(); i++) {
            entries.add(entry(rows.get(i)));
        }
        String next = rows.size() > query.limit() ? Long.toString(entries.getLast().id()) : null;
        return new AuditPage(entries, next);
    }

    private static AuditEntry entry(Record row) {
        return new AuditEntry(row.get(AUDIT_LOG.ID), row.get(AUDIT_LOG.AT).toInstant(), row.get(AUDIT_LOG.TX_ID),
                row.get(AUDIT_LOG.TABLE_NAME), row.get(AUDIT_LOG.ENVIRONMENT), row.get(AUDIT_LOG.ENTITY_KEY),
                row.get(AUDIT_LOG.OPERATION), json(row.get(AUDIT_LOG.BEFORE)), json(row.get(AUDIT_LOG.AFTER)),
                json(row.get(AUDIT_LOG.ACTOR)));
    }

    private static JsonNode json(JSON value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON_MAPPER.readTree(value.data());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("audit_log holds JSON that does not parse", e);
        }
    }
}
