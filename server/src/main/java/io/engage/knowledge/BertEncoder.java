package io.engage.knowledge;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A BERT sentence encoder (mean pooling) on an ONNX Runtime session, tokenizing each text once. LangChain4j's
 * {@code OnnxBertBiEncoder} tokenizes every text three times (to partition it, to check the partition's text
 * round-trips, and to encode it): a tenth of the CPU of ingestion. For a text that fits the model in one pass (512
 * positions, [CLS] and [SEP] included: every chunk) this computes exactly what LangChain4j computes, from the same
 * token ids; longer texts go to LangChain4j, which splits them and averages the parts.
 */
final class BertEncoder {

    /** Positions of BERT models, the [CLS] and [SEP] tokens included. */
    static final int MAX_TOKENS = 512;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTokenTypes;
    private final int dimensions;
    private final EmbeddingModel longTexts;

    /**
     * @param longTexts LangChain4j's model on the same session, for texts longer than {@link #MAX_TOKENS} tokens
     */
    BertEncoder(OrtEnvironment environment, OrtSession session, InputStream tokenizerJson, int dimensions,
            EmbeddingModel longTexts) throws IOException, OrtException {
        this.environment = environment;
        this.session = session;
        // the options LangChain4j uses: no padding; no truncation (long texts are detected and handed over)
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false"));
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        this.dimensions = dimensions;
        this.longTexts = longTexts;
    }

    /**
     * The mean of the model's token vectors (not normalised), or the zero vector when the tokenizer finds nothing to
     * read in the text (only spaces, control characters and the like).
     */
    float[] embed(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        if (ids.length <= 2) {
            return new float[dimensions]; // [CLS] [SEP] only
        }
        if (ids.length > MAX_TOKENS) {
            return longTexts.embed(TextSegment.from(text)).content().vector();
        }
        long[] shape = {1, ids.length};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment,
                        LongBuffer.wrap(encoding.getAttentionMask()), shape);
                OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getTypeIds()),
                        shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(4);
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return meanOfTokens(((OnnxTensor) result.get(0)).getFloatBuffer(), ids.length);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding inference failed", e);
        }
    }

    /** Mean over the tokens of a [1, tokens, dimensions] output, every token counted (there is no padding). */
    private float[] meanOfTokens(FloatBuffer hidden, int tokens) {
        float[] mean = new float[dimensions];
        for (int token = 0; token < tokens; token++) {
            int offset = token * dimensions;
            for (int d = 0; d < dimensions; d++) {
                mean[d] += hidden.get(offset + d);
            }
        }
        for (int d = 0; d < dimensions; d++) {
            mean[d] /= tokens;
        }
        return mean;
    }
}
