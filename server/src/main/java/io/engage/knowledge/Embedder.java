package io.engage.knowledge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Text embeddings with all-MiniLM-L6-v2 (384 dimensions), run in-process through ONNX Runtime from the model shipped
 * in LangChain4j's jars: no network, no keys. By default the int8-quantized model, which embeds about three times
 * faster on CPU; {@code engage.knowledge.embedding-model=all-minilm-l6-v2} selects float32 (re-ingest sources after
 * switching, so that all chunks of an agent come from one model). The model is loaded on first use, so start-up does
 * not pay for it. Query embeddings are cached: visitors ask the same questions again and again.
 */
@Component
public class Embedder {

    static final String QUANTIZED = "all-minilm-l6-v2-q";
    static final String FLOAT32 = "all-minilm-l6-v2";
    private static final Logger log = LoggerFactory.getLogger(Embedder.class);

    private final String modelName;
    private volatile EmbeddingModel model;
    private final Cache<String, float[]> queryCache = Caffeine.newBuilder().maximumSize(20_000).build();

    Embedder(KnowledgeProperties properties) {
        this.modelName = properties.embeddingModel();
        if (!QUANTIZED.equals(modelName) && !FLOAT32.equals(modelName)) {
            throw new IllegalStateException("engage.knowledge.embedding-model must be " + QUANTIZED + " or " + FLOAT32);
        }
    }

    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    long start = System.nanoTime();
                    model = FLOAT32.equals(modelName) ? new AllMiniLmL6V2EmbeddingModel()
                            : new AllMiniLmL6V2QuantizedEmbeddingModel();
                    log.info("Loaded embedding model {} in {} ms", modelName, (System.nanoTime() - start) / 1_000_000);
                }
                loaded = model;
            }
        }
        return loaded;
    }

    /** Embeddings of many texts, in order. */
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> embeddings = model().embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(normalized(embedding.vector()));
        }
        return vectors;
    }

    /** The embedding of a search query (cached by its normalised text). */
    public float[] embedQuery(String query) {
        String key = query.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return queryCache.get(key, k -> embedAll(List.of(query.strip())).get(0));
    }

    /** Unit length, so cosine similarity is a dot product. */
    private static float[] normalized(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        double norm = Math.sqrt(sum);
        if (norm == 0) {
            return vector;
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }
}
