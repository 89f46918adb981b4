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
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(Runtime.getRuntime().availableProcessors());
        List<Supplier<Boolean>> blockers = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            blockers.add(SpareCores.alongside(() -> {
                busy.countDown();
                return release.await(10, TimeUnit.SECONDS);
            }));
        }
        try {
            assertThat(busy.await(10, TimeUnit.SECONDS)).as("every pool thread busy").isTrue();
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
