package io.engage.conversation;

import io.engage.common.ForeignKeys;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Drops the foreign keys from {@code messages} and {@code analytics_events} to {@code companies}: each row already
 * depends on its company through a cascade (a message through its conversation, an event through its agent), and the
 * two checks cost PostgreSQL about a tenth of its CPU per stored answer. {@code company_id} stays on every row, and
 * every query still filters by it. A Java migration because H2 names these constraints itself.
 */
@Component
class V13__StoredAnswersWithoutCompanyForeignKeys extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        ForeignKeys.drop(context.getConnection(), "messages", "company_id", "companies");
        ForeignKeys.drop(context.getConnection(), "analytics_events", "company_id", "companies");
    }
}
