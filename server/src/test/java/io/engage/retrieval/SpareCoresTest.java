package io.engage.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SpareCoresTest {

    @Test
    void anIdleThreadDoesTheWorkWhileTheCallerGoesOn() throws Exception {
        // a pool thread that has just finished other work is idle again a moment later: a few tries at most
        String worker = null;
        for (int attempt = 0; attempt < 50 && (worker == null || !worker.startsWith("engage-search-")); attempt++) {
            CountDownLatch release = new CountDownLatch(1);
            Supplier<String> result = SpareCores.alongside(() -> {
                release.await(10, TimeUnit.SECONDS);
                return Thread.currentThread().getName();
            });
            // the caller is free until it asks for the result: the work waits for it on another thread
            release.countDown();
            worker = result.get();
            Thread.sleep(10);
        }
        assertThat(worker).startsWith("engage-search-");
    }

    @Test
    void withEveryThreadBusyTheCallerDoesTheWorkItselfExactlyOnce() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        CountDownLatch release = new CountDownLatch(1);
        List<Supplier<Boolean>> blockers = new ArrayList<>();
        try {
            // occupy every pool thread; a hand-off is dropped when a thread is not back at the queue yet (after an
            // earlier test's work, say), and such a blocker then runs in this thread, where it must not block
            for (int attempt = 0; attempt < 100 && blockers.size() < threads; attempt++) {
                CountDownLatch started = new CountDownLatch(1);
                Supplier<Boolean> blocker = SpareCores.alongside(() -> {
                    if (!Thread.currentThread().getName().startsWith("engage-search-")) {
                        return true;
                    }
                    started.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                });
                if (started.await(2, TimeUnit.SECONDS)) {
                    blockers.add(blocker);
                } else {
                    blocker.get();
                    Thread.sleep(10);
                }
            }
            assertThat(blockers).as("every pool thread busy").hasSize(threads);
            AtomicInteger runs = new AtomicInteger();
            Supplier<String> result = SpareCores.alongside(() -> {
                runs.incrementAndGet();
                return Thread.currentThread().getName();
            });
            assertThat(result.get()).isEqualTo(Thread.currentThread().getName());
            assertThat(result.get()).isEqualTo(Thread.currentThread().getName());
            assertThat(runs).hasValue(1);
        } finally {
            release.countDown();
        }
        assertThat(blockers).allSatisfy(blocker -> assertThat(blocker.get()).isTrue());
    }

    @Test
    void failuresReachTheCallerAsThemselves() {
        Supplier<Object> failing = SpareCores.alongside(() -> {
            throw new IllegalArgumentException("no such query");
        });
        assertThatThrownBy(failing::get).isInstanceOf(IllegalArgumentException.class).hasMessage("no such query");
    }
}
