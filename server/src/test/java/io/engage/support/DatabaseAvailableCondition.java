package io.engage.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips the PostgreSQL run, with the reason, when no PostgreSQL is reachable; the H2 run always runs. */
public class DatabaseAvailableCondition implements ExecutionCondition {

    private static volatile String unavailable;
    private static volatile boolean checked;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestDatabase.isPostgres()) {
            return ConditionEvaluationResult.enabled("H2 run");
        }
        if (!checked) {
            unavailable = TestDatabase.postgresUnavailableReason();
            checked = true;
            if (unavailable != null) {
                System.err.println("SKIPPING the PostgreSQL integration run: " + unavailable);
            }
        }
        return unavailable == null ? ConditionEvaluationResult.enabled("PostgreSQL run")
                : ConditionEvaluationResult.disabled("SKIPPED: " + unavailable);
    }
}
