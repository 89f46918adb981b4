package io.engage.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static final int TARGET = 300;
    private static final int MAX = 400;
    private static final int OVERLAP = 80;

    private final Chunker chunker = new Chunker(TARGET, MAX, OVERLAP);

    @Test
    void paragraphsArePackedWholeUpToTheTarget() {
        List<String> paragraphs = IntStream.range(0, 12).mapToObj(i -> paragraph(i, 2 + i % 3)).toList();

        List<ChunkDraft> chunks = new Chunker(TARGET, MAX, 0).chunk(document(section(List.of("FAQ"), paragraphs)));

        assertThat(chunks).hasSizeGreaterThan(1);
        List<String> rejoined = new ArrayList<>();
        for (ChunkDraft chunk : chunks) {
            assertThat(chunk.text().length()).isLessThanOrEqualTo(TARGET);
            rejoined.addAll(Arrays.asList(chunk.text().split("\n\n")));
        }
        assertThat(rejoined).isEqualTo(paragraphs);
    }

    @Test
    void everyParagraphAppearsWholeInSomeChunkWhenChunksOverlap() {
        List<String> paragraphs = IntStream.range(0, 12).mapToObj(i -> paragraph(i, 2 + i % 3)).toList();

        List<ChunkDraft> chunks = chunker.chunk(document(section(List.of(), paragraphs)));

        for (String paragraph : paragraphs) {
            assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.text()).contains(paragraph));
        }
    }

    @Test
    void noChunkIsEmptyUntrimmedOrLongerThanMaxOverlapIncluded() {
        String giantParagraph = String.join(" ", IntStream.range(0, 40).mapToObj(ChunkerTest::sentence).toList());
        String endlessSentence = String.join(" ", IntStream.range(0, 300).mapToObj(i -> "word" + i).toList()) + ".";
        String hugeToken = "https://example.test/" + "x".repeat(1500);
        String code = String.join("\n", IntStream.range(0, 60).mapToObj(i -> "  call(" + i + ");").toList());
        ParsedDocument document = document(
                section(List.of("A"), List.of(paragraph(1, 3), giantParagraph, paragraph(2, 2), "x".repeat(MAX))),
                section(List.of("B"), List.of(endlessSentence, hugeToken, code, "Short.")));

        List<ChunkDraft> chunks = chunker.chunk(document);

        assertThat(chunks).isNotEmpty().allSatisfy(chunk -> {
            assertThat(chunk.text()).isNotBlank().isEqualTo(chunk.text().strip());
            assertThat(chunk.text().length()).isLessThanOrEqualTo(MAX);
        });
    }

    @Test
    void chunksNeverMixSectionsAndCarryTheirHeadingPath() {
        List<String> pricing = IntStream.range(0, 6).mapToObj(i -> "Pricing fact " + i + ". " + sentence(i)).toList();
        List<String> support = IntStream.range(0, 6).mapToObj(i -> "Support fact " + i + ". " + sentence(i)).toList();
        ParsedDocument document = document(
                section(List.of("Pricing"), pricing),
                section(List.of("Help", "Support"), support));

        List<ChunkDraft> chunks = chunker.chunk(document);

        assertThat(chunks).allSatisfy(chunk -> {
            if (chunk.headingPath().equals(List.of("Pricing"))) {
                assertThat(chunk.text()).contains("Pricing fact").doesNotContain("Support fact");
            } else {
                assertThat(chunk.headingPath()).containsExactly("Help", "Support");
                assertThat(chunk.text()).contains("Support fact").doesNotContain("Pricing fact");
            }
        });
        assertThat(chunks).extracting(ChunkDraft::headingPath).contains(List.of("Pricing"), List.of("Help", "Support"));
    }

    @Test
    void eachLaterChunkOfASectionStartsWithThePreviousChunksTrailingSentences() {
        List<String> paragraphs = IntStream.range(0, 10).mapToObj(i -> paragraph(i, 3)).toList();
        List<ChunkDraft> withoutOverlap = new Chunker(TARGET, MAX, 0).chunk(document(section(List.of(), paragraphs)));

        List<ChunkDraft> chunks = chunker.chunk(document(section(List.of(), paragraphs)));

        assertThat(chunks).hasSameSizeAs(withoutOverlap).hasSizeGreaterThan(2);
        assertThat(chunks.get(0).text()).isEqualTo(withoutOverlap.get(0).text());
        for (int i = 1; i < chunks.size(); i++) {
            String previous = withoutOverlap.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf(". ", previous.length() - 2) + 2);
            String overlap = chunks.get(i).text().substring(0,
                    chunks.get(i).text().length() - withoutOverlap.get(i).text().length()).strip();
            assertThat(chunks.get(i).text()).startsWith(overlap).endsWith(withoutOverlap.get(i).text());
            assertThat(overlap).startsWith("Paragraph ").endsWith(lastSentence).hasSizeLessThanOrEqualTo(OVERLAP);
            assertThat(previous).endsWith(overlap);
        }
    }

    @Test
    void overlapFallsBackToTrailingWholeWordsWhenTheLastSentenceIsTooLong() {
        String longSentence = "This closing sentence keeps going with many words so that it is much longer than the "
                + "overlap allowance of eighty characters.";
        List<String> paragraphs = List.of(paragraph(0, 3) + " " + longSentence, paragraph(1, 3));

        List<ChunkDraft> chunks = chunker.chunk(document(section(List.of(), paragraphs)));

        assertThat(chunks).hasSize(2);
        String overlap = chunks.get(1).text().substring(0, chunks.get(1).text().indexOf("\n\n"));
        assertThat(overlap).hasSizeLessThanOrEqualTo(OVERLAP).isNotEmpty();
        assertThat(longSentence).endsWith(overlap);
        assertThat(longSentence).contains(" " + overlap); // starts at a word
    }

    @Test
    void aGiantParagraphIsSplitAtSentenceBoundaries() {
        List<String> sentences = IntStream.range(0, 30).mapToObj(ChunkerTest::sentence).toList();
        String paragraph = String.join(" ", sentences);

        List<ChunkDraft> chunks = new Chunker(TARGET, MAX, 0).chunk(document(section(List.of(), List.of(paragraph))));

        assertThat(chunks).hasSizeGreaterThan(3);
        List<String> rejoined = new ArrayList<>();
        for (ChunkDraft chunk : chunks) {
            assertThat(chunk.text()).matches("Sentence \\d+ .*\\.").hasSizeLessThanOrEqualTo(TARGET);
            rejoined.add(chunk.text());
        }
        assertThat(String.join(" ", rejoined)).isEqualTo(paragraph);
        // with overlap each piece continues the paragraph: the repeated sentence is joined with a space
        List<ChunkDraft> overlapping = chunker.chunk(document(section(List.of(), List.of(paragraph))));
        assertThat(overlapping.get(1).text()).doesNotContain("\n");
    }

    @Test
    void aSentenceLongerThanMaxIsSplitBetweenWords() {
        List<String> words = IntStream.range(0, 200).mapToObj(i -> "word" + i).toList();
        String sentence = String.join(" ", words);

        List<ChunkDraft> chunks = chunker.chunk(document(section(List.of(), List.of(sentence))));

        assertThat(chunks).hasSizeGreaterThan(1);
        Set<String> seen = new HashSet<>();
        for (ChunkDraft chunk : chunks) {
            assertThat(chunk.text().length()).isLessThanOrEqualTo(MAX);
            seen.addAll(Arrays.asList(chunk.text().split(" ")));
        }
        assertThat(seen).isEqualTo(new HashSet<>(words));
    }

    @Test
    void ordinalsRunAcrossTheWholeDocument() {
        List<String> paragraphs = IntStream.range(0, 8).mapToObj(i -> paragraph(i, 3)).toList();
        ParsedDocument document = document(
                section(List.of("One"), paragraphs),
                section(List.of("Two"), List.of("Short.")),
                section(List.of("Three"), paragraphs));

        List<ChunkDraft> chunks = chunker.chunk(document);

        assertThat(chunks).extracting(ChunkDraft::ordinal)
                .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
        assertThat(chunker.chunk(document(section(List.of(), List.of())))).isEmpty();
    }

    @Test
    void defaultsSuitTheEmbeddingModelAndNonsenseIsRejected() {
        String paragraph = paragraph(0, 8);
        assertThat(Chunker.defaults().chunk(document(section(List.of(), List.of(paragraph)))))
                .singleElement()
                .extracting(ChunkDraft::text)
                .isEqualTo(paragraph);
        assertThatThrownBy(() -> new Chunker(500, 400, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(300, 400, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(0, 400, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- fixtures ----

    private static String sentence(int n) {
        return "Sentence " + n + " explains one more detail of the product in plain words.";
    }

    private static String paragraph(int n, int sentences) {
        return String.join(" ", IntStream.range(0, sentences)
                .mapToObj(i -> "Paragraph " + n + " sentence " + i + " states a fact.")
                .toList());
    }

    private static Section section(List<String> headingPath, List<String> paragraphs) {
        return new Section(headingPath, paragraphs);
    }

    private static ParsedDocument document(Section... sections) {
        return new ParsedDocument("Doc", List.of(sections));
    }
}
