package io.engage.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The pipeline of one source: parse (by type) → chunk along the document's structure → embed in batches. Chunks are
 * embedded with their title and heading path in front, which places a passage like "Pricing › Enterprise: It costs
 * ..." near questions about enterprise pricing even when the passage itself never says "enterprise".
 */
@Component
class Ingestion {

    /** What parsing found and the chunks to store. */
    record Outcome(String title, List<KnowledgeRepository.NewChunk> chunks) {
    }

    private final DocumentParser parser;
    private final WebPageFetcher fetcher;
    private final Chunker chunker;
    private final Embedder embedder;
    private final ObjectMapper json;
    private final int batchSize;

    Ingestion(DocumentParser parser, WebPageFetcher fetcher, Chunker chunker, Embedder embedder, ObjectMapper json,
            KnowledgeProperties properties) {
        this.parser = parser;
        this.fetcher = fetcher;
        this.chunker = chunker;
        this.embedder = embedder;
        this.json = json;
        this.batchSize = properties.embeddingBatchSize();
    }

    /** FAQ content as stored: one JSON object. */
    byte[] faqContent(String question, String answer) {
        return json.createObjectNode().put("question", question).put("answer", answer).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs the pipeline. {@code onParsed} is called between parsing and embedding (status → indexing) and
     * {@code heartbeat} after each embedding batch (long jobs keep their lease).
     */
    Outcome run(KnowledgeSource source, byte[] content, Runnable onParsed, Runnable heartbeat)
            throws DocumentParseException, UnsupportedDocumentTypeException {
        String title = source.title();
        List<ChunkDraft> drafts;
        switch (source.type()) {
            case FAQ -> {
                JsonNode faq = readFaq(content);
                String question = faq.path("question").asText();
                drafts = List.of(new ChunkDraft(0, "Q: " + question + "\nA: " + faq.path("answer").asText(),
                        List.of()));
            }
            case TEXT -> drafts = chunker.chunk(parser.parseMarkdown(new String(content, StandardCharsets.UTF_8),
                    title));
            case URL -> {
                WebPageFetcher.FetchedPage page = fetcher.fetch(new String(content, StandardCharsets.UTF_8));
                if (page.title() != null && !page.title().isBlank() && title.equals(source.url())) {
                    title = page.title();
                }
                drafts = chunker.chunk(page.document());
            }
            case FILE -> {
                ParsedDocument document = parser.parse(content, source.filename());
                if (document.title() != null && !document.title().isBlank() && title.equals(source.filename())) {
                    title = document.title();
                }
                drafts = chunker.chunk(document);
            }
            default -> throw new IllegalStateException("Unknown source type " + source.type());
        }
        if (drafts.isEmpty()) {
            throw new DocumentParseException("The source contains no text to index", null);
        }
        onParsed.run();
        List<KnowledgeRepository.NewChunk> chunks = new ArrayList<>(drafts.size());
        for (int from = 0; from < drafts.size(); from += batchSize) {
            List<ChunkDraft> batch = drafts.subList(from, Math.min(drafts.size(), from + batchSize));
            List<String> texts = new ArrayList<>(batch.size());
            for (ChunkDraft draft : batch) {
                texts.add(contextualized(title, draft));
            }
            List<float[]> vectors = embedder.embedAll(texts);
            for (int i = 0; i < batch.size(); i++) {
                ChunkDraft draft = batch.get(i);
                chunks.add(new KnowledgeRepository.NewChunk(draft.ordinal(), draft.text(), draft.headingPath(),
                        vectors.get(i)));
            }
            heartbeat.run();
        }
        return new Outcome(title, chunks);
    }

    private JsonNode readFaq(byte[] content) throws DocumentParseException {
        try {
            return json.readTree(content);
        } catch (IOException e) {
            throw new DocumentParseException("The FAQ entry is not readable", e);
        }
    }

    static String contextualized(String title, ChunkDraft draft) {
        StringBuilder text = new StringBuilder();
        if (title != null && !title.isBlank()) {
            text.append(title);
        }
        for (String heading : draft.headingPath()) {
            if (!heading.equals(title)) {
                text.append(text.isEmpty() ? "" : " › ").append(heading);
            }
        }
        return text.isEmpty() ? draft.text() : text.append(": ").append(draft.text()).toString();
    }
}
