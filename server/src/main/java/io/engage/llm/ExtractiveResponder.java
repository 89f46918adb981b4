package io.engage.llm;

import io.engage.agents.LlmProvider;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The built-in "model": answers a question with the best-matching sentences of the retrieved passages, cited by
 * passage number. Needs no key and no network, and is deterministic, so it is both the default provider and the
 * fallback when a chat provider fails.
 *
 * <p>Scoring: each candidate (a sentence, or the answer of an FAQ pair) is scored by the question's content words it
 * contains (stemmed, stop words ignored), each weighted by how rare it is among the candidates, and multiplied by a
 * weight that falls with the passage's rank. FAQ pairs are matched on question and answer but only the answer is
 * quoted, so the reply never echoes the question back.
 */
@Component
class ExtractiveResponder {

    static final String MODEL = "extractive";

    /** Roughly two or three sentences: enough to answer, short enough to read in a chat bubble. */
    static final int BUDGET_CHARS = 600;
    static final int MAX_SENTENCES = 3;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern STREAM_PIECE = Pattern.compile("\\s*\\S+");
    private static final Pattern QUESTION_LABEL = Pattern.compile("^(?:Q|Question)\\s*[:.)]\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ANSWER_LABEL = Pattern.compile("^(?:A|Answer)\\s*[:.)]\\s*",
            Pattern.CASE_INSENSITIVE);
    /** "Q: ... A: ..." written on one line. */
    private static final Pattern INLINE_ANSWER = Pattern.compile("\\s(?:A|Answer)\\s*:\\s+");
    private static final Pattern BULLET = Pattern.compile("^(?:[-*•#>]+|\\d+[.)])\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?…]+$");

    private static final Set<String> STOP_WORDS = Set.of("a", "about", "above", "after", "again", "all", "am", "an",
            "and", "any", "are", "as", "at", "be", "been", "before", "being", "below", "between", "both", "but", "by",
            "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
            "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if",
            "in", "into", "is", "it", "its", "itself", "just", "let", "me", "might", "more", "most", "must", "my",
            "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over",
            "own", "please", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their",
            "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
            "us", "very", "want", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
            "will", "with", "would", "you", "your", "yours", "tell", "know", "need", "like", "also", "s", "t");

    /** What the responder would say, before streaming. */
    record Composition(String text, List<Integer> citedPassages) {

        static final Composition EMPTY = new Composition("", List.of());
    }

    /** Streams the composed answer to the sink word by word, honouring cancellation between words. */
    LlmAnswer answer(LlmRequest request, TokenSink sink, BooleanSupplier cancelled, String fallbackReason) {
        Composition composition = composed(request.question(), request.passages());
        StringBuilder sent = new StringBuilder();
        Matcher pieces = STREAM_PIECE.matcher(composition.text());
        boolean wasCancelled = false;
        // nothing streams to no one: a whole answer needs only the cancellation check the first word would make
        boolean streamed = sink != TokenSink.NONE || cancelled.getAsBoolean();
        while (streamed && pieces.find()) {
            if (cancelled.getAsBoolean()) {
                wasCancelled = true;
                break;
            }
            sink.onToken(pieces.group());
            sent.append(pieces.group());
        }
        String text = wasCancelled ? sent.toString() : composition.text();
        List<Integer> cited = wasCancelled ? Citations.parse(text, sizeOf(request.passages()))
                : composition.citedPassages();
        return new LlmAnswer(text, LlmProvider.EXTRACTIVE, MODEL,
                TokenEstimate.of(request.question()) + TokenEstimate.ofPassages(request.passages()),
                TokenEstimate.of(text), cited, fallbackReason != null, fallbackReason, wasCancelled);
    }

    /** A composition is a function of the question and the passages alone; weight in characters held. */
    private record CompositionKey(String question, List<Passage> passages) {

        int weight(Composition composition) {
            long chars = question.length() + composition.text().length();
            for (Passage passage : passages) {
                chars += passage.text() == null ? 0 : passage.text().length();
            }
            return (int) Math.min(Integer.MAX_VALUE, chars);
        }
    }

    /**
     * Visitors ask the same questions and retrieval answers them with the same passages (its results are cached per
     * knowledge version), so the same composition is asked for again and again: it is kept, bounded by the characters
     * its keys and texts hold (about 8 MB at most; the passages' texts are mostly shared with the retrieval cache).
     */
    private final Cache<CompositionKey, Composition> compositions = Caffeine.newBuilder()
            .maximumWeight(4_000_000)
            .weigher((CompositionKey key, Composition composition) -> key.weight(composition))
            .build();

    /** {@link #compose}, from the cache when this question was answered from these passages before. */
    Composition composed(String question, List<Passage> passages) {
        if (question == null || passages == null || passages.isEmpty()) {
            return compose(question, passages);
        }
        CompositionKey key = new CompositionKey(question, List.copyOf(passages));
        return compositions.get(key, k -> compose(k.question(), k.passages()));
    }

    Composition compose(String question, List<Passage> passages) {
        if (passages == null || passages.isEmpty()) {
            return Composition.EMPTY;
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int rank = 0; rank < passages.size(); rank++) {
            candidates.addAll(candidatesOf(passages.get(rank), rank));
        }
        if (candidates.isEmpty()) {
            return Composition.EMPTY;
        }
        Set<String> questionTerms = terms(question == null ? "" : question);
        Map<String, Double> rarity = rarity(candidates, questionTerms);
        for (Candidate candidate : candidates) {
            candidate.score = score(candidate, questionTerms, rarity);
        }
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparingDouble((Candidate c) -> -c.score)
                .thenComparingInt(c -> c.rank).thenComparingInt(c -> c.order));
        return render(select(ranked));
    }

    // ---- candidates --------------------------------------------------------------------------------------------

    /** One quotable unit: a sentence, or an FAQ answer (matched together with its question). */
    private static final class Candidate {

        final int passageNumber;
        final int rank;
        final int order;
        final String text;
        final Set<String> terms;
        double score;

        Candidate(int passageNumber, int rank, int order, String text, Set<String> terms) {
            this.passageNumber = passageNumber;
            this.rank = rank;
            this.order = order;
            this.text = text;
            this.terms = terms;
        }
    }

    /** A passage's quotable units, independent of where it ranks: parsed once per distinct passage text. */
    private record Quotable(int order, String text, Set<String> terms) {
    }

    private static final Cache<String, List<Quotable>> PARSED = Caffeine.newBuilder().maximumSize(20_000).build();

    private static List<Candidate> candidatesOf(Passage passage, int rank) {
        if (passage.text() == null || passage.text().isBlank()) {
            return new ArrayList<>();
        }
        List<Candidate> out = new ArrayList<>();
        for (Quotable quotable : PARSED.get(passage.text(), ExtractiveResponder::parse)) {
            out.add(new Candidate(passage.number(), rank, quotable.order(), quotable.text(), quotable.terms()));
        }
        return out;
    }

    private static List<Quotable> parse(String text) {
        List<Quotable> out = new ArrayList<>();
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        int order = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher questionLabel = QUESTION_LABEL.matcher(line);
            boolean labelledQuestion = questionLabel.find();
            boolean questionLine = labelledQuestion || isQuestion(line);
            if (questionLine) {
                String questionText = labelledQuestion ? line.substring(questionLabel.end()) : line;
                StringBuilder answer = new StringBuilder();
                Matcher inline = INLINE_ANSWER.matcher(questionText);
                if (labelledQuestion && inline.find()) {
                    answer.append(questionText.substring(inline.end()));
                    questionText = questionText.substring(0, inline.start());
                }
                // the answer runs until the next question (labelled, or a line ending in "?")
                int next = i + 1;
                while (next < lines.size() && !startsQuestion(lines.get(next))) {
                    answer.append(answer.isEmpty() ? "" : " ")
                            .append(ANSWER_LABEL.matcher(lines.get(next)).replaceFirst(""));
                    next++;
                }
                i = next - 1;
                if (answer.isEmpty()) {
                    continue; // a question with no answer says nothing quotable
                }
                String answerText = fitToBudget(clean(answer.toString()));
                Set<String> terms = new HashSet<>(terms(questionText));
                terms.addAll(terms(answerText));
                out.add(new Quotable(order++, answerText, Set.copyOf(terms)));
            } else {
                // "Can I get a refund? Yes, within 30 days." on one line: the answer sentence inherits the
                // question's words for matching
                Set<String> askedJustBefore = Set.of();
                for (String sentence : sentences(line)) {
                    if (isQuestion(sentence)) {
                        askedJustBefore = terms(sentence);
                    } else if (WORD.matcher(sentence).find()) {
                        Set<String> terms = new HashSet<>(terms(sentence));
                        terms.addAll(askedJustBefore);
                        askedJustBefore = Set.of();
                        out.add(new Quotable(order++, sentence, Set.copyOf(terms)));
                    }
                }
            }
        }
        return out;
    }

    private static boolean startsQuestion(String line) {
        return QUESTION_LABEL.matcher(line).find() || isQuestion(line) && !ANSWER_LABEL.matcher(line).find();
    }

    private static boolean isQuestion(String text) {
        return text.endsWith("?");
    }

    private static List<String> sentences(String line) {
        List<String> out = new ArrayList<>();
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ROOT);
        iterator.setText(line);
        int start = iterator.first();
        for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
            String sentence = clean(line.substring(start, end));
            if (!sentence.isEmpty()) {
                out.add(sentence);
            }
        }
        return out;
    }

    private static String clean(String text) {
        return BULLET.matcher(text.strip()).replaceFirst("").replaceAll("\\s+", " ").strip();
    }

    // ---- scoring -----------------------------------------------------------------------------------------------

    /** Content words, lowercased and crudely stemmed, so "refunds"/"refunded"/"refund" meet. */
    static Set<String> terms(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher words = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (words.find()) {
            String word = words.group();
            if (!STOP_WORDS.contains(word)) {
                out.add(stem(word));
            }
        }
        return out;
    }

    static String stem(String word) {
        if (word.length() > 5 && word.endsWith("ing")) {
            return undouble(word.substring(0, word.length() - 3));
        }
        if (word.length() > 4 && word.endsWith("ed")) {
            return undouble(word.substring(0, word.length() - 2));
        }
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.length() > 4 && (word.endsWith("ses") || word.endsWith("xes") || word.endsWith("ches")
                || word.endsWith("shes"))) {
            return word.substring(0, word.length() - 2);
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    /** "shipp" (from shipping/shipped) becomes "ship"; "call", "pass" and "buzz" keep their double letter. */
    private static String undouble(String stem) {
        int n = stem.length();
        if (n > 2 && stem.charAt(n - 1) == stem.charAt(n - 2) && "lsz".indexOf(stem.charAt(n - 1)) < 0
                && Character.isLetter(stem.charAt(n - 1)) && "aeiou".indexOf(stem.charAt(n - 1)) < 0) {
            return stem.substring(0, n - 1);
        }
        return stem;
    }

    /** Inverse document frequency over the candidates: a word found everywhere says little. */
    private static Map<String, Double> rarity(List<Candidate> candidates, Set<String> questionTerms) {
        Map<String, Double> out = new HashMap<>();
        for (String term : questionTerms) {
            long containing = candidates.stream().filter(c -> c.terms.contains(term)).count();
            out.put(term, Math.log(1.0 + (double) candidates.size() / (1 + containing)) + 0.1);
        }
        return out;
    }

    private static double score(Candidate candidate, Set<String> questionTerms, Map<String, Double> rarity) {
        double matched = 0;
        for (String term : questionTerms) {
            if (candidate.terms.contains(term)) {
                matched += rarity.get(term);
            }
        }
        // retrieval already ranked the passages: trust that order as a prior
        double rankWeight = 1.0 / (1.0 + 0.25 * candidate.rank);
        // a tiny density term breaks ties toward the more focused sentence
        double density = candidate.terms.isEmpty() ? 0 : matched / (10.0 * Math.sqrt(candidate.terms.size()));
        return (matched + density) * rankWeight;
    }

    // ---- selection and rendering -------------------------------------------------------------------------------

    private static List<Candidate> select(List<Candidate> ranked) {
        Candidate best = ranked.get(0);
        if (best.score <= 0) {
            // nothing overlaps lexically: retrieval still judged the top passage relevant, so quote its opening
            best = ranked.stream().filter(c -> c.rank == 0).min(Comparator.comparingInt(c -> c.order))
                    .orElse(ranked.get(0));
            return List.of(best);
        }
        List<Candidate> chosen = new ArrayList<>(List.of(best));
        int length = best.text.length();
        for (Candidate candidate : ranked.subList(1, ranked.size())) {
            if (chosen.size() >= MAX_SENTENCES || candidate.score < best.score * 0.5) {
                break;
            }
            if (length + candidate.text.length() + 6 > BUDGET_CHARS || isNearDuplicate(candidate, chosen)) {
                continue;
            }
            chosen.add(candidate);
            length += candidate.text.length() + 6;
        }
        return chosen;
    }

    private static boolean isNearDuplicate(Candidate candidate, List<Candidate> chosen) {
        for (Candidate other : chosen) {
            Set<String> shared = new HashSet<>(candidate.terms);
            shared.retainAll(other.terms);
            Set<String> all = new HashSet<>(candidate.terms);
            all.addAll(other.terms);
            if (!all.isEmpty() && shared.size() >= 0.8 * all.size()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Groups the chosen sentences by passage (best passage first), keeps each passage's sentences in their original
     * order and cites the passage once, after its last sentence.
     */
    private static Composition render(List<Candidate> chosen) {
        Map<Integer, TreeMap<Integer, Candidate>> byPassage = new LinkedHashMap<>();
        for (Candidate candidate : chosen) {
            byPassage.computeIfAbsent(candidate.passageNumber, n -> new TreeMap<>()).put(candidate.order, candidate);
        }
        StringBuilder text = new StringBuilder();
        List<Integer> cited = new ArrayList<>();
        for (Map.Entry<Integer, TreeMap<Integer, Candidate>> group : byPassage.entrySet()) {
            List<Candidate> sentences = new ArrayList<>(group.getValue().values());
            for (int i = 0; i < sentences.size(); i++) {
                String sentence = truncate(sentences.get(i).text);
                if (i == sentences.size() - 1) {
                    sentence = withCitation(sentence, group.getKey());
                }
                text.append(text.isEmpty() ? "" : " ").append(sentence);
            }
            cited.add(group.getKey());
        }
        return new Composition(text.toString(), List.copyOf(cited));
    }

    /** A long FAQ answer is quoted by its leading sentences, as many as fit. */
    private static String fitToBudget(String answer) {
        if (answer.length() <= BUDGET_CHARS) {
            return answer;
        }
        StringBuilder fitted = new StringBuilder();
        for (String sentence : sentences(answer)) {
            if (fitted.length() + sentence.length() + 1 > BUDGET_CHARS) {
                break;
            }
            fitted.append(fitted.isEmpty() ? "" : " ").append(sentence);
        }
        return fitted.isEmpty() ? answer : fitted.toString();
    }

    private static String truncate(String sentence) {
        if (sentence.length() <= BUDGET_CHARS) {
            return sentence;
        }
        int cut = sentence.lastIndexOf(' ', BUDGET_CHARS - 1);
        return sentence.substring(0, cut > 0 ? cut : BUDGET_CHARS - 1) + "…";
    }

    /** "Refunds take 5 days." becomes "Refunds take 5 days [2]." */
    private static String withCitation(String sentence, int passageNumber) {
        Matcher punctuation = TRAILING_PUNCTUATION.matcher(sentence);
        String marker = " [" + passageNumber + "]";
        if (punctuation.find()) {
            return sentence.substring(0, punctuation.start()) + marker + punctuation.group();
        }
        return sentence + marker + ".";
    }

    private static int sizeOf(List<Passage> passages) {
        return passages == null ? 0 : passages.size();
    }
}
