package io.engage.analytics;

/**
 * Answer latencies as counts per fixed bucket (columns lat_00..lat_26 of the rollups), so that percentiles over any
 * range come from summed counts. Percentiles interpolate linearly inside the bucket that holds the rank, as
 * Prometheus' histogram_quantile does: the result lies within the bounds of the bucket of the exact value.
 */
final class LatencyBuckets {

    /** Upper bounds in ms (inclusive) of all but the last bucket, which holds everything slower. */
    static final int[] UPPER_BOUNDS_MS = {1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500,
            2000, 3000, 4000, 5000, 7500, 10000, 15000, 20000, 30000, 60000};
    static final int COUNT = UPPER_BOUNDS_MS.length + 1;

    private LatencyBuckets() {
    }

    static String column(int bucket) {
        return String.format("lat_%02d", bucket);
    }

    static int bucketOf(int latencyMs) {
        for (int i = 0; i < UPPER_BOUNDS_MS.length; i++) {
            if (latencyMs <= UPPER_BOUNDS_MS[i]) {
                return i;
            }
        }
        return COUNT - 1;
    }

    static int lowerBound(int bucket) {
        return bucket == 0 ? 0 : UPPER_BOUNDS_MS[bucket - 1];
    }

    /** The q-quantile (0 < q ≤ 1) of the counted latencies in ms, or null when nothing was counted. */
    static Integer percentile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && seen + counts[i] >= rank) {
                if (i == COUNT - 1) {
                    return lowerBound(i);
                }
                double within = (double) (rank - seen) / counts[i];
                return (int) Math.round(lowerBound(i) + within * (UPPER_BOUNDS_MS[i] - lowerBound(i)));
            }
            seen += counts[i];
        }
        return lowerBound(COUNT - 1);
    }
}
