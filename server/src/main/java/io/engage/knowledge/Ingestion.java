package io.engage.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The pipeline of a source: parse (by type) → chunk along the document's structure → embed in batches. Chunks are
 * embedded with their title and heading path in front, which places a passage like "Pricing › Enterprise: It costs
 * ..." near questions about enterprise pricing even when the passage itself never says "enterprise".
 */
@Component
class Ingestion {

    private static final Pattern CONTROLS = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]");

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

    /** The question and answer of stored FAQ content; empty when it is not readable as such. */
    Optional<FaqEntry> faqEntry(byte[] content) {
        try {
            JsonNode faq = json.readTree(content);
            String question = faq.path("question").asText("");
            String answer = faq.path("answer").asText("");
            return question.isBlank() ? Optional.empty() : Optional.of(new FaqEntry(question, answer));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A parsed and chunked source, ready to embed. */
    record Prepared(String title, List<ChunkDraft> drafts) {

        /** The texts to embed: each chunk with its title and heading path in front. */
        List<String> embeddingTexts() {
            List<String> texts = new ArrayList<>(drafts.size());
            for (ChunkDraft draft : drafts) {
                texts.add(contextualized(title, draft));
            }
            return texts;
        }

        List<KnowledgeRepository.NewChunk> withEmbeddings(List<float[]> vectors) {
            List<KnowledgeRepository.NewChunk> chunks = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                ChunkDraft draft = drafts.get(i);
                chunks.add(new KnowledgeRepository.NewChunk(draft.ordinal(), draft.text(), draft.headingPath(),
                        vectors.get(i)));
            }
            return chunks;
        }
    }

    /** Parses the source by its type and chunks it along the document's structure. */
    Prepared prepare(KnowledgeSource source, byte[] content)
            throws DocumentParseException, UnsupportedDocumentTypeException {
        String title = source.title();
        List<ChunkDraft> drafts;
        switch (source.type()) {
            case FAQ -> {
                JsonNode faq = readFaq(content);
                String question = withoutControls(faq.path("question").asText());
                drafts = List.of(new ChunkDraft(0, "Q: " + question + "\nA: "
                        + withoutControls(faq.path("answer").asText()), List.of()));
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
        return new Prepared(title, drafts);
    }

    /**
     * Embeds many texts in batches (calling {@code heartbeat} after each, so long jobs keep their lease). Texts of
     * several sources go through together: one batch keeps every core busy where one small source would not.
     */
    List<float[]> embed(List<String> texts, Runnable heartbeat) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            vectors.addAll(embedder.embedAll(texts.subList(from, Math.min(texts.size(), from + batchSize))));
            heartbeat.run();
        }
        return vectors;
    }

    /**
     * The text without control characters other than line breaks and tabs: parsed documents lose them in the parser,
     * but an FAQ pair is stored as typed, and PostgreSQL's text cannot hold U+0000.
     */
    private static String withoutControls(String text) {
        return CONTROLS.matcher(text).replaceAll("");
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
