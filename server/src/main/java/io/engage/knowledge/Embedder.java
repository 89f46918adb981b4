package io.engage.knowledge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.engage.common.DaemonThreads;
import jakarta.annotation.PreDestroy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
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
    private volatile BertEncoder encoder;
    private final Cache<String, float[]> queryCache = Caffeine.newBuilder().maximumSize(20_000).build();
    private static final int DIMENSIONS = 384;
    private final Semaphore queryPermits = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
    /** Spreads a batch's texts over the cores (each inference runs on one thread). */
    private final ExecutorService batchExecutor = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), DaemonThreads.named("engage-embed"));

    /** Lets the batch threads go with the context (after the ingestion workers have stopped using them). */
    @PreDestroy
    void shutdown() {
        batchExecutor.shutdown();
    }

    Embedder(KnowledgeProperties properties) {
        this.modelName = properties.embeddingModel();
        if (!QUANTIZED.equals(modelName) && !FLOAT32.equals(modelName)) {
            throw new IllegalStateException("engage.knowledge.embedding-model must be " + QUANTIZED + " or " + FLOAT32);
        }
    }

    private BertEncoder encoder() {
        BertEncoder loaded = encoder;
        if (loaded == null) {
            synchronized (this) {
                if (encoder == null) {
                    long start = System.nanoTime();
                    encoder = load();
                    log.info("Loaded embedding model {} in {} ms", modelName, (System.nanoTime() - start) / 1_000_000);
                }
                loaded = encoder;
            }
        }
        return loaded;
    }

    /**
     * The model with ONNX Runtime tuned for a server: one thread per inference and no spin-waiting, so that
     * concurrent searches and ingestion workers each use one core instead of all of them spinning against each
     * other (ONNX's defaults suit one inference at a time); batches are spread over the cores by the executor.
     */
    private BertEncoder load() {
        Class<?> owner = FLOAT32.equals(modelName) ? AllMiniLmL6V2EmbeddingModel.class
                : AllMiniLmL6V2QuantizedEmbeddingModel.class;
        try {
            byte[] onnx = resource(owner, modelName + ".onnx");
            byte[] tokenizer = resource(owner, modelName + "-tokenizer.json");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(onnx, options);
            EmbeddingModel longTexts = new TunedModel(new OnnxBertBiEncoder(environment, session,
                    new ByteArrayInputStream(tokenizer), PoolingMode.MEAN));
            return new BertEncoder(environment, session, new ByteArrayInputStream(tokenizer), DIMENSIONS, longTexts);
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("could not load embedding model " + modelName, e);
        }
    }

    private static byte[] resource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("embedding model file " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    /**
     * LangChain4j's in-process model around our own ONNX session, for the texts too long for one pass: it runs in the
     * calling thread, which {@link #embedAll} already spreads over the cores.
     */
    private static final class TunedModel extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        TunedModel(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }

    /**
     * Embeddings of many texts, in order, spread over the cores. A text with nothing to read (only spaces, control
     * and format characters, lone accents: what the tokenizer drops) gets the zero vector, similar to nothing.
     */
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        BertEncoder model = encoder();
        if (texts.size() == 1) {
            return List.of(embedOne(model, texts.get(0)));
        }
        List<CompletableFuture<float[]>> parts = texts.stream()
                .map(text -> CompletableFuture.supplyAsync(() -> embedOne(model, text), batchExecutor))
                .toList();
        try {
            return parts.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static float[] embedOne(BertEncoder model, String text) {
        return readable(text) ? normalized(model.embed(text)) : new float[DIMENSIONS];
    }

    /** Whether the text has a character the tokenizer keeps. */
    private static boolean readable(String text) {
        return text != null && text.codePoints().anyMatch(Embedder::tokenizable);
    }

    /** Not whitespace, control, format, private-use, unassigned, U+FFFD or a lone accent (stripped when lower-casing). */
    private static boolean tokenizable(int codePoint) {
        if (codePoint == 0xFFFD) {
            return false;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.NON_SPACING_MARK -> false;
            default -> true;
        };
    }

    /** The embedding of a search query (cached by its normalised text). */
    public float[] embedQuery(String query) {
        String key = query.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return queryCache.get(key, k -> {
            // at most one inference per core: a hundred concurrent searches each starting one only thrash the cores
            queryPermits.acquireUninterruptibly();
            try {
                return embedAll(List.of(query.strip())).get(0);
            } finally {
                queryPermits.release();
            }
        });
    }

    /** How embeddings are stored in the database: little-endian float32. */
    public static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] toFloats(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
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
