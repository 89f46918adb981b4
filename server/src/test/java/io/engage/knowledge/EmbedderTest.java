package io.engage.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The tuned ONNX session computes the same embeddings as LangChain4j's stock model. */
class EmbedderTest {

    @Test
    void tunedSessionMatchesTheStockModel() {
        Embedder embedder = new Embedder(new KnowledgeProperties(DataSize.ofMegabytes(20), 2,
                java.time.Duration.ofSeconds(60), 3, java.time.Duration.ofSeconds(15), DataSize.ofMegabytes(5), false,
                32, Embedder.QUANTIZED, java.time.Duration.ofSeconds(10)));
        List<String> texts = List.of("How long does the battery last?",
                "The Skyhawk DS-3 costs 499 euros, including two batteries.", "Returns are free within 30 days.",
                "CAFÉ Déjà-vu: naïve façade, 東京 and 🚀 — \"quoted\" (brackets) & ampersands; x²+y²",
                "unbelievably unrecognisable antidisestablishmentarianism pseudopseudohypoparathyroidism",
                // 510 words are 512 tokens with [CLS] and [SEP]: the most the model reads in one pass
                "battery ".repeat(510).strip(),
                // one more word: LangChain4j splits the text and averages the parts
                "battery ".repeat(511).strip(),
                "A long page. ".repeat(400));
        List<float[]> ours = embedder.embedAll(texts);
        AllMiniLmL6V2QuantizedEmbeddingModel stock = new AllMiniLmL6V2QuantizedEmbeddingModel();
        for (int i = 0; i < texts.size(); i++) {
            float[] reference = stock.embed(texts.get(i)).content().vector();
            assertThat(ours.get(i)).hasSize(384);
            // the same token ids through the same model: the same vector, up to float rounding in normalisation
            for (int d = 0; d < 384; d++) {
                assertThat(ours.get(i)[d]).as("text %d, dimension %d", i, d)
                        .isCloseTo(reference[d], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThat(cosine(ours.get(0), ours.get(1))).isLessThan(0.9);
        // one at a time (in the caller's thread) gives what a batch (spread over the cores) gives
        assertThat(embedder.embedAll(List.of(texts.get(3))).get(0)).containsExactly(ours.get(3));
    }

    @Test
    void textsWithNothingToReadGetTheZeroVectorInsteadOfAnError() {
        Embedder embedder = new Embedder(new KnowledgeProperties(DataSize.ofMegabytes(20), 2,
                java.time.Duration.ofSeconds(60), 3, java.time.Duration.ofSeconds(15), DataSize.ofMegabytes(5), false,
                32, Embedder.QUANTIZED, java.time.Duration.ofSeconds(10)));
        List<String> unreadable = List.of("\u0001", " \t\u0000", "\u001b", "\u0085", "\u200b\u00ad\u2028", "\u0301",
                "\ue000", "\ufffd", "\u3000");
        List<String> texts = new java.util.ArrayList<>(unreadable);
        texts.add(1, "Returns are free.");
        List<float[]> vectors = embedder.embedAll(texts);
        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (i != 1) {
                assertThat(vectors.get(i)).as("U+%04X", (int) texts.get(i).charAt(0)).hasSize(384).containsOnly(0f);
            }
        }
        assertThat(cosine(vectors.get(1), embedder.embedAll(List.of("Returns are free.")).get(0)))
                .isGreaterThan(0.9999);
        assertThat(embedder.embedQuery("\u0001\u0002")).containsOnly(0f);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
