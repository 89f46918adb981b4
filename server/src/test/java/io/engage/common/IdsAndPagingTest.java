package io.engage.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsAndPagingTest {

    @Test
    void idsAreTimeOrderedSoKeysetPagingFollowsCreationOrder() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.newId());
        }
        List<String> asText = ids.stream().map(UUID::toString).toList();
        assertThat(asText).isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(0).version()).isEqualTo(7);
    }

    @Test
    void idsFromManyThreadsAreUniqueAndCarryTheCurrentMillisecond() throws Exception {
        java.util.Set<UUID> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long before = System.currentTimeMillis();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    seen.add(Ids.newId());
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(seen).hasSize(200_000);
        UUID id = Ids.newId();
        assertThat(id.variant()).isEqualTo(2);
        long millis = id.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(before, System.currentTimeMillis() + 1000);
    }

    @Test
    void pagesCarryACursorOnlyWhenMoreRowsExist() {
        PageQuery query = PageQuery.of(2, null);
        List<UUID> rows = List.of(Ids.newId(), Ids.newId(), Ids.newId());
        Page<UUID> page = Page.of(rows, query, id -> id);
        assertThat(page.items()).containsExactly(rows.get(0), rows.get(1));
        assertThat(PageQuery.of(2, page.nextCursor()).after()).isEqualTo(rows.get(1));
        assertThat(Page.of(rows.subList(0, 2), query, id -> id).nextCursor()).isNull();
    }

    @Test
    void badPagingParametersAreClientErrors() {
        assertThatThrownBy(() -> PageQuery.of(0, null)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> PageQuery.of(PageQuery.MAX_LIMIT + 1, null)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> PageQuery.of(10, "###")).isInstanceOf(ApiProblem.class);
        assertThat(PageQuery.of(null, "").limit()).isEqualTo(PageQuery.DEFAULT_LIMIT);
    }
}
