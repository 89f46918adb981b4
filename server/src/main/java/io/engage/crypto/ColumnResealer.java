package io.engage.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Re-seals one sealed column of a table keyed by a UUID {@code id}, in pages of {@value #PAGE} rows walked in id
 * order. Each rewrite is a compare-and-set on the old value, so a row changed meanwhile by a serving node is left
 * to that node (whatever it wrote is already under the current key) and the command can run while nodes serve.
 */
@Component
public class ColumnResealer {

    private static final Logger log = LoggerFactory.getLogger(ColumnResealer.class);
    static final int PAGE = 500;

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;

    ColumnResealer(JdbcTemplate jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /**
     * @param table and {@code column}: trusted identifiers from code, never from input
     * @param context the encryption context of a row's value, from its id
     * @return how many values were rewritten
     */
    public long reseal(String table, String column, Function<UUID, String> context) {
        String select = "SELECT id, " + column + " FROM " + table + " WHERE id > ? AND " + column
                + " IS NOT NULL AND " + column + " NOT LIKE ? ORDER BY id LIMIT " + PAGE;
        String update = "UPDATE " + table + " SET " + column + " = ? WHERE id = ? AND " + column + " = ?";
        UUID after = new UUID(0, 0); // the lowest UUID in both databases' (unsigned) order
        long pages = 0;
        long rewritten = 0;
        while (true) {
            List<Object[]> page = jdbc.query(select, (rs, n) -> new Object[] {rs.getObject(1, UUID.class),
                    rs.getString(2)}, after, cipher.currentPrefix() + "%");
            if (page.isEmpty()) {
                break;
            }
            List<Object[]> updates = new ArrayList<>(page.size());
            for (Object[] row : page) {
                UUID id = (UUID) row[0];
                String value = (String) row[1];
                if (cipher.needsResealing(value)) {
                    updates.add(new Object[] {cipher.reseal(value, context.apply(id)), id, value});
                }
                after = id;
            }
            for (int count : jdbc.batchUpdate(update, updates)) {
                rewritten += Math.max(count, 0);
            }
            if (page.size() < PAGE) {
                break;
            }
            if (++pages % 20 == 0) {
                log.info("Re-sealing {}.{}: {} values so far", table, column, rewritten);
            }
        }
        return rewritten;
    }
}
