package io.engage.knowledge;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Cuts a {@link ParsedDocument} into chunks for embedding. Chunks stay inside one section and carry its heading path;
 * whole paragraphs are packed up to the target size; only a paragraph longer than the maximum is split, at sentence
 * boundaries (and a sentence longer than the maximum at word boundaries). When a section yields several chunks, each
 * one after the first starts with the last sentence(s) of the previous one, so a fact cut from its context by a chunk
 * boundary is still found with it. No chunk is longer than {@code maxChars}, overlap included. Thread-safe.
 */
final class Chunker {

    private static final String PARAGRAPH_BREAK = "\n\n";

    private final int targetChars;
    private final int maxChars;
    private final int overlapChars;

    /**
     * @param targetChars  paragraphs are packed into one chunk up to this length
     * @param maxChars     hard limit on a chunk's length; a paragraph above it is split
     * @param overlapChars the most characters a chunk repeats from the end of the previous one
     */
    Chunker(int targetChars, int maxChars, int overlapChars) {
        if (targetChars < 1 || maxChars < targetChars || overlapChars < 0 || overlapChars >= targetChars) {
            throw new IllegalArgumentException("Need 0 < targetChars <= maxChars and 0 <= overlapChars < targetChars, "
                    + "got " + targetChars + "/" + maxChars + "/" + overlapChars);
        }
        this.targetChars = targetChars;
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    /**
     * 700 / 1000 / 120 characters: all-MiniLM-L6-v2 reads at most 256 word pieces, about 1000 characters of English,
     * so a full chunk with its overlap is embedded whole.
     */
    static Chunker defaults() {
        return new Chunker(700, 1000, 120);
    }

    List<ChunkDraft> chunk(ParsedDocument document) {
        List<ChunkDraft> chunks = new ArrayList<>();
        for (Section section : document.sections()) {
            Passage previous = null;
            for (Passage body : pack(passages(section))) {
                String text = previous == null ? body.text() : withOverlap(previous, body);
                chunks.add(new ChunkDraft(chunks.size(), text, section.headingPath()));
                previous = body;
            }
        }
        return chunks;
    }

    /**
     * Text that goes into chunks as a whole.
     *
     * @param endsParagraph false for every piece but the last of a split paragraph
     */
    private record Passage(String text, boolean endsParagraph) { }

    /** The section's paragraphs, each whole unless longer than maxChars. */
    private List<Passage> passages(Section section) {
        List<Passage> passages = new ArrayList<>();
        for (String paragraph : section.paragraphs()) {
            String text = paragraph.strip();
            if (text.length() <= maxChars) {
                if (!text.isEmpty()) {
                    passages.add(new Passage(text, true));
                }
                continue;
            }
            List<String> pieces = new ArrayList<>();
            split(text, Unit.SENTENCE, pieces);
            for (int i = 0; i < pieces.size(); i++) {
                passages.add(new Passage(pieces.get(i), i == pieces.size() - 1));
            }
        }
        return passages;
    }

    private enum Unit { SENTENCE, WORD }

    /**
     * Splits text between units into pieces of up to targetChars; a single unit may reach maxChars. A longer unit is
     * split again: a sentence between words, a word (a URL, a hash) anywhere.
     */
    private void split(String text, Unit unit, List<String> pieces) {
        List<Integer> boundaries = boundaries(text, unit);
        int pieceStart = 0;
        int pieceEnd = 0;
        for (int i = 1; i < boundaries.size(); i++) {
            int start = boundaries.get(i - 1);
            int end = boundaries.get(i);
            String segment = text.substring(start, end).strip();
            if (segment.length() > maxChars) {
                addPiece(text.substring(pieceStart, pieceEnd), pieces);
                if (unit == Unit.SENTENCE) {
                    split(segment, Unit.WORD, pieces);
                } else {
                    cut(segment, pieces);
                }
                pieceStart = end;
            } else if (pieceEnd > pieceStart && end - pieceStart > targetChars) {
                addPiece(text.substring(pieceStart, pieceEnd), pieces);
                pieceStart = start;
            }
            pieceEnd = end;
        }
        addPiece(text.substring(pieceStart, pieceEnd), pieces);
    }

    /**
     * Offsets where a sentence or word may begin, from 0 to the text's length. Sentences also begin after a line
     * break, which Java's sentence iterator ignores: list items and lines of code often lack a full stop.
     */
    private static List<Integer> boundaries(String text, Unit unit) {
        BreakIterator iterator = unit == Unit.SENTENCE
                ? BreakIterator.getSentenceInstance(Locale.ROOT)
                : BreakIterator.getWordInstance(Locale.ROOT);
        iterator.setText(text);
        TreeSet<Integer> boundaries = new TreeSet<>();
        for (int boundary = iterator.first(); boundary != BreakIterator.DONE; boundary = iterator.next()) {
            boundaries.add(boundary);
        }
        if (unit == Unit.SENTENCE) {
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
                boundaries.add(i + 1);
            }
        }
        return new ArrayList<>(boundaries);
    }

    /** Cuts text without a usable boundary into maxChars pieces, never between the halves of a surrogate pair. */
    private void cut(String text, List<String> pieces) {
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + maxChars);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            addPiece(text.substring(start, end), pieces);
            start = end;
        }
    }

    private static void addPiece(String piece, List<String> pieces) {
        String text = piece.strip();
        if (!text.isEmpty()) {
            pieces.add(text);
        }
    }

    /** Packs consecutive passages, separated by blank lines, into chunk bodies of up to targetChars. */
    private List<Passage> pack(List<Passage> passages) {
        List<Passage> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        boolean endsParagraph = true;
        for (Passage passage : passages) {
            if (!body.isEmpty()
                    && body.length() + PARAGRAPH_BREAK.length() + passage.text().length() > targetChars) {
                bodies.add(new Passage(body.toString(), endsParagraph));
                body.setLength(0);
            }
            if (!body.isEmpty()) {
                body.append(PARAGRAPH_BREAK);
            }
            body.append(passage.text());
            endsParagraph = passage.endsParagraph();
        }
        if (!body.isEmpty()) {
            bodies.add(new Passage(body.toString(), endsParagraph));
        }
        return bodies;
    }

    /** The body prefixed with the previous body's trailing sentence(s), within overlapChars and maxChars. */
    private String withOverlap(Passage previous, Passage body) {
        // the overlap continues the paragraph when the previous chunk ended mid-paragraph
        String separator = previous.endsParagraph() ? PARAGRAPH_BREAK : " ";
        int room = Math.min(overlapChars, maxChars - body.text().length() - separator.length());
        String overlap = tail(previous.text(), room);
        return overlap.isEmpty() ? body.text() : overlap + separator + body.text();
    }

    /**
     * The longest run of whole trailing sentences of text within limit characters; when even the last sentence is
     * longer, its trailing words within the limit.
     */
    private static String tail(String text, int limit) {
        if (limit <= 0) {
            return "";
        }
        List<Integer> sentenceStarts = boundaries(text, Unit.SENTENCE);
        int start = text.length();
        for (int i = sentenceStarts.size() - 1; i >= 0 && text.length() - sentenceStarts.get(i) <= limit; i--) {
            start = sentenceStarts.get(i);
        }
        if (start == text.length()) {
            // no whole sentence fits: start at the first word that begins within the limit
            start = text.length() - limit;
            while (start < text.length() && !Character.isWhitespace(text.charAt(start - 1))) {
                start++;
            }
        }
        return text.substring(start).strip();
    }
}
