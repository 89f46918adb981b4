package io.engage.retrieval;

import io.engage.common.DaemonThreads;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Idle cores for the parts of one search that can run side by side (the segments of a large index, the query's
 * embedding next to the keyword search). Work is handed over only to a thread that is idle at that moment; otherwise
 * the hand-off is dropped and the caller does the work itself. A busy server therefore searches in each request's own
 * thread as before, with no queue to wait in, and a quiet one answers a single search sooner.
 */
final class SpareCores {

    /** One thread per core, each kept for 30 s after its last task. */
    static final Executor POOL = pool(Runtime.getRuntime().availableProcessors());

    private SpareCores() {
    }

    private static Executor pool(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("engage-search"), new ThreadPoolExecutor.DiscardPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Starts {@code work} on an idle thread if there is one; the supplier returns its result, doing the work in the
     * caller's thread if no other thread has started it by then.
     */
    static <T> Supplier<T> alongside(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        POOL.execute(task);
        return () -> {
            task.run(); // no-op when a pool thread has started (or finished) it
            try {
                return task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a search", e);
            }
        };
    }
}
