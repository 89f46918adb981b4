package io.engage.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.engage.knowledge.StoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.Test;

/** Fusion behaviour on hand-made vectors (no model needed): each side's strengths survive the merge. */
class AgentIndexTest {

    private static final int DIMENSIONS = 8;

    private static float[] axis(int i) {
        float[] v = new float[DIMENSIONS];
        v[i] = 1;
        return v;
    }

    private static float[] mix(int i, int j) {
        float[] v = new float[DIMENSIONS];
        v[i] = (float) Math.sqrt(0.5);
        v[j] = (float) Math.sqrt(0.5);
        return v;
    }

    private static StoredChunk chunk(String text, float[] vector) {
        return new StoredChunk(UUID.randomUUID(), UUID.randomUUID(), "Doc", null, List.of(), text, vector);
    }

    private final StoredChunk invoice = chunk("Invoices are sent by email on the first day of the month.", axis(0));
    private final StoredChunk refund = chunk("Refunds reach your card within five business days.", axis(1));
    private final StoredChunk sku = chunk("Part number XJ-4471 fits all models built after 2019.", axis(2));
    private final StoredChunk shipping = chunk("Parcels leave our warehouse every afternoon.", axis(3));
    private final AgentIndex index = AgentIndex.build(7, List.of(invoice, refund, sku, shipping));

    @Test
    void keywordSideFindsExactTermsTheVectorsMiss() {
        // the query vector points at "refund", but the words name a part number
        List<SearchHit> keyword = index.search("XJ-4471", axis(1), 2, 10, SearchMode.KEYWORD, AgentIndex.Fusion.DEFAULT);
        assertThat(keyword.get(0).chunkId()).isEqualTo(sku.chunkId());
        assertThat(keyword.get(0).bm25()).isPositive();
        List<SearchHit> hybrid = index.search("XJ-4471", axis(1), 2, 10, SearchMode.HYBRID, AgentIndex.Fusion.DEFAULT);
        assertThat(hybrid).extracting(SearchHit::chunkId).contains(sku.chunkId(), refund.chunkId());
    }

    @Test
    void vectorSideFindsMeaningWithoutSharedWords() {
        List<SearchHit> vector = index.search("money back", axis(1), 1, 10, SearchMode.VECTOR, AgentIndex.Fusion.DEFAULT);
        assertThat(vector.get(0).chunkId()).isEqualTo(refund.chunkId());
        assertThat(vector.get(0).similarity()).isEqualTo(1.0);
        assertThat(vector.get(0).bm25()).isZero();
    }

    @Test
    void agreementOfBothSidesRanksFirst() {
        // words match invoice and shipping; the vector sits between invoice and refund: invoice wins on both
        List<SearchHit> hits = index.search("invoices email parcels", mix(0, 1), 4, 10, SearchMode.HYBRID, AgentIndex.Fusion.DEFAULT);
        assertThat(hits.get(0).chunkId()).isEqualTo(invoice.chunkId());
        assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(index.version()).isEqualTo(7);
    }

    @Test
    void keywordCoverageIsTheScoreOverTheBoundOfTheQuerysDistinctBodyTerms() {
        // "refund" and "parcel" are each in one of the 4 chunks, "zeppelin" in none; a repeated word counts once
        List<SearchHit> hits = index.search("refunds refunds parcels zeppelin", axis(5), 4, 10, SearchMode.KEYWORD,
                AgentIndex.Fusion.DEFAULT);
        double bound = 2 * idf(4, 1) + idf(4, 0);
        assertThat(hits).extracting(SearchHit::chunkId).containsExactlyInAnyOrder(refund.chunkId(), shipping.chunkId());
        for (SearchHit hit : hits) {
            assertThat(hit.bm25()).isPositive();
            assertThat(hit.score()).isCloseTo(Math.min(1, hit.bm25() / bound), within(1e-6));
        }
    }

    @Test
    void indexFilesReadBackTheSameAsOneBufferAndAsBlocksPastTheLimit() throws Exception {
        ByteBuffersDataOutput written = new ByteBuffersDataOutput();
        byte[] content = new byte[300_000]; // larger than the output's first blocks, so it spans several
        new java.util.Random(3).nextBytes(content);
        written.writeBytes(content, content.length);
        written.writeLong(0x1122334455667788L);
        for (long limit : new long[] {1L << 30, 1_000}) {
            try (IndexInput input = AgentIndex.readableFile("_0.vec", written, limit)) {
                byte[] read = new byte[content.length];
                input.readBytes(read, 0, read.length);
                assertThat(read).isEqualTo(content);
                assertThat(input.readLong()).isEqualTo(0x1122334455667788L);
                IndexInput clone = input.clone();
                clone.seek(123_456);
                assertThat(clone.readByte()).isEqualTo(content[123_456]);
            }
        }
    }

    /** Lucene's BM25 idf of a term in {@code frequency} of {@code documents} documents. */
    private static double idf(long documents, long frequency) {
        return Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
    }

    @Test
    void stopWordsOnlyStillSearchByMeaningAndEmptyIndexesAnswerNothing() {
        assertThat(index.search("the and of", axis(3), 1, 10, SearchMode.HYBRID, AgentIndex.Fusion.DEFAULT).get(0).chunkId())
                .isEqualTo(shipping.chunkId());
        assertThat(AgentIndex.build(1, List.of()).search("anything", axis(0), 5, 10, SearchMode.HYBRID, AgentIndex.Fusion.DEFAULT)).isEmpty();
    }

    @Test
    void largeIndexesFlushIntoOneSearchableSegment() {
        List<StoredChunk> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add(chunk("Document number " + i + " about topic " + (i % 17), axis(i % DIMENSIONS)));
        }
        AgentIndex big = AgentIndex.build(1, many);
        assertThat(big.size()).isEqualTo(2000);
        assertThat(big.search("Document number 1234", axis(1234 % DIMENSIONS), 3, 50, SearchMode.KEYWORD, AgentIndex.Fusion.DEFAULT).get(0).text())
                .isEqualTo("Document number 1234 about topic " + (1234 % 17));
        assertThat(big.search("anything", axis(5), 10, 50, SearchMode.VECTOR, AgentIndex.Fusion.DEFAULT))
                .hasSize(10).allSatisfy(hit -> assertThat(hit.similarity()).isEqualTo(1.0));
    }

    @Test
    void pastTheExactThresholdVectorsAreSearchedThroughTheHnswGraph() {
        java.util.Random random = new java.util.Random(42);
        List<StoredChunk> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add(chunk("Passage " + i, randomUnitVector(random, 32)));
        }
        AgentIndex approximate = AgentIndex.build(1, many, 1000);
        AgentIndex exact = AgentIndex.build(1, many, 5000);
        for (int i = 0; i < 3000; i += 300) {
            float[] query = many.get(i).embedding();
            assertThat(approximate.search("zzz", query, 1, 50, SearchMode.VECTOR, AgentIndex.Fusion.DEFAULT).get(0).chunkId())
                    .isEqualTo(many.get(i).chunkId());
            assertThat(exact.search("zzz", query, 1, 50, SearchMode.VECTOR, AgentIndex.Fusion.DEFAULT).get(0).chunkId())
                    .isEqualTo(many.get(i).chunkId());
        }
    }

    @Test
    void hitsInEverySegmentOfAMultiThreadedBuildPointAtTheirOwnChunks() {
        // 20,000 chunks past the exact threshold are indexed by one thread per core (2 here), one segment each:
        // Lucene's doc ids of the later segments are offset, and each must still lead to its own chunk
        java.util.Random random = new java.util.Random(7);
        List<StoredChunk> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(chunk("Passage " + i + " marker" + i, randomUnitVector(random, 16)));
        }
        AgentIndex index = AgentIndex.build(1, many, 1000);
        for (int i : new int[] {0, 9_999, 10_000, 15_432, 19_999}) {
            assertThat(index.search("marker" + i, null, 1, 50, SearchMode.KEYWORD, AgentIndex.Fusion.DEFAULT).get(0)
                    .chunkId()).as("keyword hit %d", i).isEqualTo(many.get(i).chunkId());
            assertThat(index.search("zzz", many.get(i).embedding(), 1, 50, SearchMode.VECTOR,
                    AgentIndex.Fusion.DEFAULT).get(0).chunkId()).as("vector hit %d", i)
                    .isEqualTo(many.get(i).chunkId());
        }
    }

    @Test
    void searchesRunningAtOnceFindWhatEachFindsAlone() throws Exception {
        // a large index's segments are searched in parallel on a shared pool of spare threads, or in the caller's
        // thread when none is idle: with 16 searches at once both happen, and every search must still find the
        // same hits, in the same order, as when it runs alone
        java.util.Random random = new java.util.Random(11);
        List<StoredChunk> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(chunk("Passage " + i + " about topic" + (i % 97) + " and marker" + i, randomUnitVector(random, 16)));
        }
        AgentIndex index = AgentIndex.build(1, many, 1000);
        List<String> queries = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queries.add("topic" + (i % 97) + " marker" + (i * 97));
            vectors.add(many.get(i * 97).embedding());
        }
        List<List<UUID>> alone = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            alone.add(chunkIds(index.search(queries.get(i), vectors.get(i), 10, 50, SearchMode.HYBRID,
                    AgentIndex.Fusion.DEFAULT)));
        }
        assertThat(alone).allSatisfy(ids -> assertThat(ids).hasSize(10));
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<List<UUID>>> atOnce = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < queries.size(); i++) {
                    int q = i;
                    atOnce.add(clients.submit(() -> chunkIds(index.search(queries.get(q), vectors.get(q), 10, 50,
                            SearchMode.HYBRID, AgentIndex.Fusion.DEFAULT))));
                }
            }
            for (int n = 0; n < atOnce.size(); n++) {
                assertThat(atOnce.get(n).get()).as("query %d", n % queries.size())
                        .isEqualTo(alone.get(n % queries.size()));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static List<UUID> chunkIds(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    private static float[] randomUnitVector(java.util.Random random, int dimensions) {
        float[] v = new float[dimensions];
        double norm = 0;
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) random.nextGaussian();
            norm += v[d] * v[d];
        }
        for (int d = 0; d < dimensions; d++) {
            v[d] = (float) (v[d] / Math.sqrt(norm));
        }
        return v;
    }
}
