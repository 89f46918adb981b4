package io.engage.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.agents.LlmProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExtractiveResponderTest {

    private final ExtractiveResponder responder = new ExtractiveResponder();

    private static Passage passage(int number, String text) {
        return new Passage(number, "Doc " + number, "https://example.test/" + number, text, 1.0 / number);
    }

    private static final List<Passage> HELP_CENTER = List.of(
            passage(1, "Our company was founded in 2012 in Lisbon. We ship to 40 countries. "
                    + "Shipping is free for orders above 50 euros."),
            passage(2, "Returns are accepted within 30 days of delivery. To start a return, open your order and "
                    + "choose Return item. Refunds are issued to the original payment method."),
            passage(3, "Gift cards never expire. They cannot be exchanged for cash."));

    @Test
    void picksTheSentenceThatAnswersAndCitesItsPassage() {
        var composition = responder.compose("How many days do I have to return an item?", HELP_CENTER);

        assertThat(composition.text()).startsWith("Returns are accepted within 30 days of delivery");
        assertThat(composition.text()).contains("[2]");
        assertThat(composition.text()).doesNotContain("founded", "Gift cards");
        assertThat(composition.citedPassages()).containsExactly(2);
    }

    @Test
    void matchesAcrossPluralsAndVerbForms() {
        var composition = responder.compose("Do gift cards expire?", HELP_CENTER);

        assertThat(composition.text()).isEqualTo("Gift cards never expire [3].");
        assertThat(composition.citedPassages()).containsExactly(3);
    }

    @Test
    void keepsAPassagesSentencesInOriginalOrderAndCitesOnce() {
        var composition = responder.compose("How do I start a return and get my refund?", HELP_CENTER);

        String text = composition.text();
        assertThat(text).contains("To start a return", "Refunds are issued");
        assertThat(text.indexOf("To start a return")).isLessThan(text.indexOf("Refunds are issued"));
        assertThat(text).containsOnlyOnce("[2]");
        assertThat(text.length()).isLessThanOrEqualTo(ExtractiveResponder.BUDGET_CHARS);
        assertThat(composition.citedPassages()).containsExactly(2);
    }

    @Test
    void faqPassagesAnswerWithTheAnswerNotTheQuestion() {
        List<Passage> faq = List.of(
                passage(1, "Q: Can I change my delivery address?\nA: Yes, until the order ships, from the order page.\n"
                        + "Q: Do you deliver on Sundays?\nA: No, deliveries run Monday to Saturday."),
                passage(2, "How do I reset my password?\nClick Forgot password on the sign-in page and follow the email."));

        var sunday = responder.compose("Do you deliver on Sunday?", faq);
        var password = responder.compose("I forgot my password, how can I reset it?", faq);

        assertThat(sunday.text()).isEqualTo("No, deliveries run Monday to Saturday [1].");
        assertThat(password.text()).isEqualTo("Click Forgot password on the sign-in page and follow the email [2].");
        assertThat(password.citedPassages()).containsExactly(2);
    }

    @Test
    void inlineFaqAnswersWithTheAnswerPart() {
        var composition = responder.compose("What is the warranty period?",
                List.of(passage(1, "Q: What is the warranty period? A: Every device has a two-year warranty.")));

        assertThat(composition.text()).isEqualTo("Every device has a two-year warranty [1].");
    }

    @Test
    void aLongFaqAnswerIsQuotedByItsLeadingSentences() {
        String longAnswer = "You can pay by card. " + "We also accept bank transfers for business accounts. ".repeat(20);
        var composition = responder.compose("How can I pay?",
                List.of(passage(1, "How can I pay?\n" + longAnswer)));

        assertThat(composition.text()).startsWith("You can pay by card. We also accept").endsWith("accounts [1].");
        assertThat(composition.text().length()).isLessThanOrEqualTo(ExtractiveResponder.BUDGET_CHARS + 5);
    }

    @Test
    void noPassagesMeansNoAnswer() {
        assertThat(responder.compose("Anything?", List.of()).text()).isEmpty();
        assertThat(responder.compose("Anything?", null).citedPassages()).isEmpty();
    }

    @Test
    void isDeterministic() {
        String question = "Is shipping free?";
        var first = responder.compose(question, HELP_CENTER);

        for (int i = 0; i < 5; i++) {
            assertThat(responder.compose(question, HELP_CENTER)).isEqualTo(first);
        }
        assertThat(first.text()).isEqualTo("Shipping is free for orders above 50 euros [1].");
    }

    @Test
    void streamsWordSizedPiecesThatAddUpToTheAnswer() {
        var sink = new TestFixtures.RecordingSink();
        LlmRequest request = new LlmRequest(null, "sys", List.of(), "user", "Do gift cards expire?", HELP_CENTER);

        LlmAnswer answer = responder.answer(request, sink, TestFixtures.NEVER, null);

        assertThat(sink.tokens).containsExactly("Gift", " cards", " never", " expire", " [3].");
        assertThat(sink.text()).isEqualTo(answer.text());
        assertThat(answer.provider()).isEqualTo(LlmProvider.EXTRACTIVE);
        assertThat(answer.model()).isEqualTo("extractive");
        assertThat(answer.citedPassages()).containsExactly(3);
        assertThat(answer.fallback()).isFalse();
        assertThat(answer.tokensOut()).isEqualTo((answer.text().length() + 3) / 4);
        assertThat(answer.tokensIn()).isGreaterThan(10);
    }

    @Test
    void stopsStreamingWhenCancelled() {
        var sink = new TestFixtures.RecordingSink();
        AtomicInteger polls = new AtomicInteger();
        LlmRequest request = new LlmRequest(null, "sys", List.of(), "user", "Do gift cards expire?", HELP_CENTER);

        LlmAnswer answer = responder.answer(request, sink, () -> polls.incrementAndGet() > 2, null);

        assertThat(answer.cancelled()).isTrue();
        assertThat(answer.text()).isEqualTo("Gift cards");
        assertThat(answer.citedPassages()).isEmpty();
    }

    @Test
    void aRepeatedQuestionOnTheSamePassagesIsComposedOnce() {
        var first = responder.composed("Do gift cards expire?", HELP_CENTER);

        assertThat(responder.composed("Do gift cards expire?", List.copyOf(HELP_CENTER))).isSameAs(first);
        assertThat(first).isEqualTo(responder.compose("Do gift cards expire?", HELP_CENTER));
        // another question, or the same one over changed knowledge, is composed afresh
        assertThat(responder.composed("Is shipping free?", HELP_CENTER).text())
                .isEqualTo("Shipping is free for orders above 50 euros [1].");
        List<Passage> changed = List.of(HELP_CENTER.get(0), HELP_CENTER.get(1),
                passage(3, "Gift cards expire after two years. They cannot be exchanged for cash."));
        assertThat(responder.composed("Do gift cards expire?", changed).text())
                .isEqualTo("Gift cards expire after two years [3].");
    }

    @Test
    void aWholeAnswerToNoSinkIsTheStreamedAnswer() {
        LlmRequest request = new LlmRequest(null, "sys", List.of(), "user", "Do gift cards expire?", HELP_CENTER);
        var sink = new TestFixtures.RecordingSink();

        LlmAnswer streamed = responder.answer(request, sink, TestFixtures.NEVER, null);
        LlmAnswer whole = responder.answer(request, TokenSink.NONE, TestFixtures.NEVER, null);

        assertThat(whole).isEqualTo(streamed);
        // cancelled before the first word: nothing said, as when streaming
        LlmAnswer cancelled = responder.answer(request, TokenSink.NONE, () -> true, null);
        assertThat(cancelled.cancelled()).isTrue();
        assertThat(cancelled.text()).isEmpty();
        assertThat(cancelled.citedPassages()).isEmpty();
    }

    @Test
    void stemsCommonEndings() {
        assertThat(ExtractiveResponder.stem("refunds")).isEqualTo("refund");
        assertThat(ExtractiveResponder.stem("shipping")).isEqualTo("ship");
        assertThat(ExtractiveResponder.stem("shipped")).isEqualTo("ship");
        assertThat(ExtractiveResponder.stem("ships")).isEqualTo("ship");
        assertThat(ExtractiveResponder.stem("called")).isEqualTo("call");
        assertThat(ExtractiveResponder.stem("policies")).isEqualTo("policy");
        assertThat(ExtractiveResponder.stem("boxes")).isEqualTo("box");
        assertThat(ExtractiveResponder.stem("address")).isEqualTo("address");
        assertThat(ExtractiveResponder.terms("What is the price of the plans?")).containsExactly("price", "plan");
    }
}
