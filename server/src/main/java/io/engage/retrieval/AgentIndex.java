package io.engage.retrieval;

import io.engage.knowledge.StoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.VectorUtil;

/**
 * One agent's in-memory Lucene index at one knowledge version. Immutable once built; searched concurrently.
 * Chunk payloads live in a plain array; Lucene documents carry only the searchable fields and the array position,
 * which is read once at build time into {@link #positionOfDoc} (a stored-fields lookup per hit decompressed a block
 * each time: about 2 MB of garbage per search at 100,000 chunks, hence frequent young collections and a longer tail).
 */
final class AgentIndex {

    static final String TEXT = "text";
    static final String TITLE = "title";
    static final String VECTOR = "vector";
    static final String POSITION = "pos";
    private static final float TITLE_BOOST = 0.5f;
    /** HNSW graph: 16 neighbours per node (Lucene's default); a narrower build beam (Lucene: 100) builds the graph
     * about 2.5x faster for a small loss of recall, which the 50 candidates per search make up for. */
    private static final int HNSW_MAX_CONN = 16;
    private static final int HNSW_BEAM_WIDTH = 40;

    /** Below this many chunks vectors are compared exhaustively: exact, and still only a few milliseconds. */
    static final int DEFAULT_EXACT_THRESHOLD = 20_000;

    /** Index files up to this size are read from one array (a Java array holds at most 2 GiB). */
    private static final long ONE_BUFFER_LIMIT = 1L << 30;

    private final long version;
    private final List<StoredChunk> chunks;
    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final boolean exactVectors;
    /** Chunk position (index into {@link #chunks}) of every Lucene document, by top-level doc id. */
    private final int[] positionOfDoc;

    private AgentIndex(long version, List<StoredChunk> chunks, IndexSearcher searcher, Analyzer analyzer,
            boolean exactVectors) throws IOException {
        this.version = version;
        this.chunks = chunks;
        this.searcher = searcher;
        this.analyzer = analyzer;
        this.exactVectors = exactVectors;
        this.positionOfDoc = positions(searcher);
    }

    /**
     * A searcher that searches each segment as its own task (Lucene would group segments under 250k documents into
     * one), in parallel where {@link SpareCores} has an idle thread.
     */
    private static IndexSearcher searcher(DirectoryReader reader) {
        return new IndexSearcher(reader, SpareCores.POOL) {
            @Override
            protected LeafSlice[] slices(List<LeafReaderContext> leaves) {
                return slices(leaves, 1, 1);
            }
        };
    }

    private static int[] positions(IndexSearcher searcher) throws IOException {
        int[] positions = new int[searcher.getIndexReader().maxDoc()];
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            NumericDocValues values = leaf.reader().getNumericDocValues(POSITION);
            if (values == null) {
                continue; // an empty index
            }
            for (int doc = values.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
                positions[leaf.docBase + doc] = (int) values.longValue();
            }
        }
        return positions;
    }

    static AgentIndex build(long version, List<StoredChunk> chunks) {
        return build(version, chunks, DEFAULT_EXACT_THRESHOLD);
    }

    /** Builds the index; with more than {@code exactThreshold} chunks vector search goes through the HNSW graph. */
    static AgentIndex build(long version, List<StoredChunk> chunks, int exactThreshold) {
        boolean exact = chunks.size() <= exactThreshold;
        Analyzer analyzer = new EnglishAnalyzer(StopWords.ENGLISH);
        ByteBuffersDirectory directory = new ByteBuffersDirectory(new SingleInstanceLockFactory(),
                ByteBuffersDataOutput::new, (name, written) -> readableFile(name, written, ONE_BUFFER_LIMIT));
        // one large buffer: each indexing thread flushes one segment, i.e. one HNSW graph per core to search
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setRAMBufferSizeMB(1024)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                // each indexing thread's documents stay one segment with its own graph
                .setMergePolicy(NoMergePolicy.INSTANCE)
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(HNSW_MAX_CONN, HNSW_BEAM_WIDTH);
                    }
                });
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            addAll(writer, chunks, exact);
            writer.commit();
            return new AgentIndex(version, List.copyOf(chunks), searcher(DirectoryReader.open(directory)),
                    analyzer, exact);
        } catch (IOException e) {
            throw new UncheckedIOException("Building the index failed", e);
        }
    }

    /**
     * Adds the chunks with one thread per core for large indexes: Lucene builds each thread's HNSW graph while the
     * documents are added, so graph construction (the slow part) runs on every core, one segment per thread.
     */
    private static void addAll(IndexWriter writer, List<StoredChunk> chunks, boolean exact) throws IOException {
        int threads = exact ? 1 : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
                chunks.size() / 10_000));
        if (threads == 1) {
            addRange(writer, chunks, 0, chunks.size(), exact);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            int size = (chunks.size() + threads - 1) / threads;
            for (int from = 0; from < chunks.size(); from += size) {
                int start = from;
                int end = Math.min(chunks.size(), from + size);
                parts.add(pool.submit(() -> {
                    addRange(writer, chunks, start, end, exact);
                    return null;
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while building the index", e);
        } catch (ExecutionException e) {
            throw new IOException("Building the index failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void addRange(IndexWriter writer, List<StoredChunk> chunks, int from, int to, boolean exact)
            throws IOException {
        for (int i = from; i < to; i++) {
            StoredChunk chunk = chunks.get(i);
            Document document = new Document();
            document.add(new NumericDocValuesField(POSITION, i));
            document.add(new TextField(TEXT, chunk.text(), Field.Store.NO));
            document.add(new TextField(TITLE, titleText(chunk), Field.Store.NO));
            if (!exact) {
                document.add(new KnnFloatVectorField(VECTOR, chunk.embedding(), VectorSimilarityFunction.DOT_PRODUCT));
            }
            writer.addDocument(document);
        }
    }

    /**
     * A written index file as one buffer where it fits: every search clones the inputs of the postings it reads, and
     * Lucene's default (one buffer per written block, up to about a hundred per file) copies every block's view and
     * two lookup arrays per clone, most of a search's garbage at 100,000 chunks. Larger files keep their blocks.
     */
    static IndexInput readableFile(String name, ByteBuffersDataOutput written, long oneBufferLimit) {
        return written.size() <= oneBufferLimit ? ByteBuffersDirectory.OUTPUT_AS_ONE_BUFFER.apply(name, written)
                : ByteBuffersDirectory.OUTPUT_AS_MANY_BUFFERS.apply(name, written);
    }

    private static String titleText(StoredChunk chunk) {
        StringBuilder text = new StringBuilder(chunk.title() == null ? "" : chunk.title());
        for (String heading : chunk.headingPath()) {
            text.append(' ').append(heading);
        }
        return text.toString();
    }

    long version() {
        return version;
    }

    int size() {
        return chunks.size();
    }

    /**
     * The k best chunks. Each side proposes its top {@code candidates}; every proposed chunk is then scored on both
     * sides and the two scores are fused (see {@link Fusion}).
     */
    List<SearchHit> search(String query, float[] queryVector, int k, int candidates, SearchMode mode, Fusion fusion) {
        return searchWithPendingVector(query, () -> queryVector, k, candidates, mode, fusion);
    }

    /**
     * The same, with the query's vector asked for only after the keyword side has run, so that it can be computed
     * meanwhile ({@code null} for none, as in keyword mode).
     */
    List<SearchHit> searchWithPendingVector(String query, Supplier<float[]> vectorOfQuery, int k, int candidates,
            SearchMode mode, Fusion fusion) {
        if (chunks.isEmpty()) {
            return List.of();
        }
        try {
            Map<Integer, Candidate> proposed = new HashMap<>();
            if (mode != SearchMode.VECTOR) {
                KeywordQuery keywords = keywordQuery(query);
                if (keywords != null) {
                    TopDocs top = searcher.search(keywords.query(), candidates);
                    for (int rank = 0; rank < top.scoreDocs.length; rank++) {
                        ScoreDoc hit = top.scoreDocs[rank];
                        Candidate candidate = proposed.computeIfAbsent(position(hit.doc), Candidate::new);
                        candidate.keywordRank = rank;
                        candidate.bm25 = hit.score;
                        candidate.keywordCoverage = Math.min(1, hit.score / keywords.maxScore());
                    }
                }
            }
            float[] queryVector = vectorOfQuery.get();
            if (mode != SearchMode.KEYWORD) {
                int[] nearest = exactVectors ? exactNearest(queryVector, candidates) : approximateNearest(queryVector,
                        candidates);
                for (int rank = 0; rank < nearest.length; rank++) {
                    proposed.computeIfAbsent(nearest[rank], Candidate::new).vectorRank = rank;
                }
            }
            List<SearchHit> hits = new ArrayList<>(proposed.size());
            for (Candidate candidate : proposed.values()) {
                StoredChunk chunk = chunks.get(candidate.position);
                double similarity = queryVector == null ? 0 : cosine(queryVector, chunk.embedding());
                double score = switch (mode) {
                    case KEYWORD -> candidate.keywordCoverage;
                    case VECTOR -> similarity;
                    case HYBRID -> fusion.fuse(candidate, similarity);
                };
                hits.add(new SearchHit(chunk.chunkId(), chunk.sourceId(), chunk.title(), chunk.url(),
                        chunk.headingPath(), chunk.text(), score, similarity, candidate.bm25));
            }
            hits.sort((a, b) -> Double.compare(b.score(), a.score()));
            return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
        } catch (IOException e) {
            throw new UncheckedIOException("Search failed", e);
        }
    }

    /**
     * How keyword and vector evidence combine. CONVEX (the default) blends the cosine similarity with the share of the
     * query's best possible BM25 score that the chunk reached, so a chunk matching one common word of a long question
     * does not outrank a chunk that means the same as the question. RRF (reciprocal rank fusion, k = 60) uses ranks
     * only; it is kept for comparison in the evaluation.
     */
    record Fusion(Kind kind, double vectorWeight) {

        enum Kind { CONVEX, RRF }

        static final Fusion DEFAULT = new Fusion(Kind.CONVEX, 0.7);
        private static final int RRF_K = 60;

        double fuse(Candidate candidate, double similarity) {
            if (kind == Kind.RRF) {
                double score = 0;
                if (candidate.keywordRank >= 0) {
                    score += 1.0 / (RRF_K + candidate.keywordRank + 1);
                }
                if (candidate.vectorRank >= 0) {
                    score += 1.0 / (RRF_K + candidate.vectorRank + 1);
                }
                return score;
            }
            return vectorWeight * similarity + (1 - vectorWeight) * candidate.keywordCoverage;
        }
    }

    /** A chunk proposed by either side, with what each side said about it. */
    static final class Candidate {
        final int position;
        int keywordRank = -1;
        int vectorRank = -1;
        double bm25;
        double keywordCoverage;

        Candidate(int position) {
            this.position = position;
        }
    }

    /** Positions of the nearest chunks by HNSW graph search. */
    private int[] approximateNearest(float[] queryVector, int candidates) throws IOException {
        TopDocs top = searcher.search(new SegmentwiseKnnQuery(queryVector, candidates), candidates);
        int[] positions = new int[top.scoreDocs.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = position(top.scoreDocs[i].doc);
        }
        return positions;
    }

    /**
     * HNSW search of each segment on its own. Lucene's default lets the segments searched at the same time raise
     * each other's bar through a shared queue, which makes the result depend on which segment got how far first: the
     * same query then found different chunks alone and under load (the segments of one search run in parallel only
     * when a spare thread is idle). Deterministic results are worth the few extra graph visits.
     */
    private static final class SegmentwiseKnnQuery extends KnnFloatVectorQuery {

        SegmentwiseKnnQuery(float[] target, int k) {
            super(VECTOR, target, k);
        }

        @Override
        protected KnnCollectorManager getKnnCollectorManager(int k, IndexSearcher searcher) {
            return (visitedLimit, context) -> new TopKnnCollector(k, visitedLimit);
        }
    }

    /** Positions of the nearest chunks by comparing every vector, best first. */
    private int[] exactNearest(float[] queryVector, int candidates) {
        int n = Math.min(candidates, chunks.size());
        // min-heap of the best n so far: (score, position)
        PriorityQueue<double[]> best = new PriorityQueue<>(n, (a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < chunks.size(); i++) {
            double score = VectorUtil.dotProduct(queryVector, chunks.get(i).embedding());
            if (best.size() < n) {
                best.add(new double[] {score, i});
            } else if (score > best.peek()[0]) {
                best.poll();
                best.add(new double[] {score, i});
            }
        }
        int[] positions = new int[best.size()];
        for (int i = positions.length - 1; i >= 0; i--) {
            positions[i] = (int) best.poll()[1];
        }
        return positions;
    }

    /** The BM25 query and the highest score any chunk could reach on it (every term matched, saturated). */
    private record KeywordQuery(Query query, double maxScore) {
    }

    private KeywordQuery keywordQuery(String query) throws IOException {
        QueryBuilder builder = new QueryBuilder(analyzer);
        Query text = builder.createBooleanQuery(TEXT, query, BooleanClause.Occur.SHOULD);
        Query title = builder.createBooleanQuery(TITLE, query, BooleanClause.Occur.SHOULD);
        if (text == null && title == null) {
            return null; // only stop words
        }
        // coverage is measured against the body text; a title match is a bonus on top (capped at 1)
        Map<Term, TermStates> seen = new HashMap<>();
        BooleanQuery.Builder combined = new BooleanQuery.Builder();
        if (text != null) {
            combined.add(withTermStates(text, seen), BooleanClause.Occur.SHOULD);
        }
        if (title != null) {
            Query titleQuery = text == null ? withTermStates(title, seen) : title;
            combined.add(new BoostQuery(titleQuery, TITLE_BOOST), BooleanClause.Occur.SHOULD);
        }
        double maxScore = bestPossible(seen.values());
        return new KeywordQuery(combined.build(), Math.max(maxScore, 1e-9));
    }

    /**
     * The query with each term looked up in the index once: the score bound reads its document frequency from the
     * same lookup the search then uses, instead of seeking every term in the terms dictionary twice.
     */
    private Query withTermStates(Query query, Map<Term, TermStates> seen) throws IOException {
        if (query instanceof TermQuery termQuery) {
            Term term = termQuery.getTerm();
            return new TermQuery(term, statesOf(term, seen));
        }
        if (query instanceof BooleanQuery booleanQuery) {
            BooleanQuery.Builder rebuilt = new BooleanQuery.Builder()
                    .setMinimumNumberShouldMatch(booleanQuery.getMinimumNumberShouldMatch());
            for (BooleanClause clause : booleanQuery.clauses()) {
                rebuilt.add(withTermStates(clause.getQuery(), seen), clause.getOccur());
            }
            return rebuilt.build();
        }
        // other shapes (synonyms, phrases) look their terms up themselves; the bound still counts those terms
        Set<Term> terms = new HashSet<>();
        query.visit(QueryVisitor.termCollector(terms));
        for (Term term : terms) {
            statesOf(term, seen);
        }
        return query;
    }

    /** The term's lookup in every segment, with its statistics: made once per query and term. */
    private TermStates statesOf(Term term, Map<Term, TermStates> seen) throws IOException {
        TermStates states = seen.get(term);
        if (states == null) {
            states = TermStates.build(searcher, term, true);
            seen.put(term, states);
        }
        return states;
    }

    /** Upper bound of Lucene's BM25 for the query's terms: the sum of their idf (a term's score tends to idf). */
    private double bestPossible(Iterable<TermStates> terms) {
        long documents = Math.max(1, searcher.getIndexReader().numDocs());
        double bound = 0;
        for (TermStates term : terms) {
            int frequency = term.docFreq();
            bound += Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
        }
        return bound;
    }

    private int position(int doc) {
        return positionOfDoc[doc];
    }

    /** Cosine of unit vectors, clamped to [0, 1] (negative means unrelated just as 0 does). */
    private static double cosine(float[] a, float[] b) {
        return Math.max(0, Math.min(1, VectorUtil.dotProduct(a, b)));
    }

}
