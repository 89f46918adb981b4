package io.engage.retrieval;

import io.engage.knowledge.StoredChunk;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * In-process benchmark of the retrieval core (no HTTP, no query embedding): builds one agent's index from N synthetic
 * chunks (random unit vectors; text from a small vocabulary, the worst case for BM25) and times searches per mode.
 * Lives in the server's package to reach the package-private index; run with bench/in-process/run.sh.
 */
public final class AgentIndexBench {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Random random = new Random(1);
        String[] words = ("alpha beta gamma delta refund shipping warranty invoice account password order delivery "
                + "battery router cable screen keyboard mouse printer paper ink toner laptop phone tablet charger")
                .split(" ");
        List<StoredChunk> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] vector = new float[384];
            double norm = 0;
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) random.nextGaussian();
                norm += vector[d] * vector[d];
            }
            for (int d = 0; d < vector.length; d++) {
                vector[d] = (float) (vector[d] / Math.sqrt(norm));
            }
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 90; w++) {
                text.append(words[random.nextInt(words.length)]).append(' ').append(random.nextInt(5000)).append(' ');
            }
            chunks.add(new StoredChunk(UUID.randomUUID(), UUID.randomUUID(), "Doc " + i, null, List.of(),
                    text.toString(), vector));
        }
        long start = System.nanoTime();
        AgentIndex index = AgentIndex.build(1, chunks);
        System.out.printf("build %d chunks: %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        // the first hybrid round warms the JIT up; the last one is the steady state
        for (SearchMode mode : new SearchMode[] {SearchMode.HYBRID, SearchMode.KEYWORD, SearchMode.VECTOR,
                SearchMode.HYBRID}) {
            long[] latencies = new long[3000];
            long allocatedBefore = allocatedBytes();
            for (int i = 0; i < latencies.length; i++) {
                float[] query = chunks.get(random.nextInt(n)).embedding();
                String words3 = words[i % words.length] + " " + words[(i * 7) % words.length] + " " + (i % 5000);
                long begin = System.nanoTime();
                index.search(words3, query, 10, 50, mode, AgentIndex.Fusion.DEFAULT);
                latencies[i] = System.nanoTime() - begin;
            }
            long allocated = allocatedBytes() - allocatedBefore;
            Arrays.sort(latencies);
            System.out.printf("%-7s p50 %.2f ms  p99 %.2f ms  %.0f KB allocated per search%n", mode,
                    latencies[1500] / 1e6, latencies[2970] / 1e6, allocated / 1024.0 / latencies.length);
        }
    }

    /** Bytes allocated so far by every live thread (the searching one and the index's search pool). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
