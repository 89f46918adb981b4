package io.engage.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.agents.LlmProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Shared requests and a service with test-sized timeouts. */
final class TestFixtures {

    static final String QUESTION = "How long do refunds take?";
    static final List<Passage> PASSAGES = List.of(
            new Passage(1, "Refunds", "https://example.test/refunds",
                    "We love our customers. Refunds are processed within 5 business days.", 0.9),
            new Passage(2, "Shipping", "https://example.test/shipping", "Orders ship within 24 hours.", 0.5));
    /** What the extractive responder answers {@link #QUESTION} from {@link #PASSAGES}. */
    static final String EXTRACTIVE_ANSWER = "Refunds are processed within 5 business days [1].";

    private TestFixtures() {
    }

    static LlmRequest request(LlmProvider provider, String baseUrl, String apiKey, String model) {
        return new LlmRequest(new LlmSettings(provider, model, baseUrl, apiKey, 0.3, 256), "You are Ada, a helpful agent.",
                List.of(new ChatTurn(ChatTurn.Speaker.USER, "Hi"),
                        new ChatTurn(ChatTurn.Speaker.ASSISTANT, "Hello! How can I help?")),
                "Knowledge: ... Question: " + QUESTION, QUESTION, PASSAGES);
    }

    static LlmProperties properties(Duration firstToken, Duration total, int attempts) {
        return new LlmProperties("", "https://api.openai.com/v1", "", "https://generativelanguage.googleapis.com/v1beta",
                "http://localhost:11434", firstToken, total, attempts, Duration.ofMillis(50), 50f, 10, 4,
                Duration.ofSeconds(30), 16);
    }

    static DefaultLlmService service(LlmProperties properties) {
        return new DefaultLlmService(properties, new ExtractiveResponder());
    }

    static DefaultLlmService service() {
        return service(properties(Duration.ofSeconds(3), Duration.ofSeconds(10), 2));
    }

    /** A sink that remembers the pieces and which threads delivered them. */
    static final class RecordingSink implements TokenSink {

        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onToken(String text) {
            tokens.add(text);
            threads.add(Thread.currentThread());
        }

        String text() {
            return String.join("", tokens);
        }
    }

    static final BooleanSupplier NEVER = () -> false;

    /** The answer streamed exactly these pieces, in order, on the caller's thread, with the provider's usage. */
    static void assertStreamed(RecordingSink sink, LlmAnswer answer, LlmProvider provider, String model, int tokensIn,
            int tokensOut, String... pieces) {
        assertThat(sink.tokens).containsExactly(pieces);
        assertThat(sink.threads).containsOnly(Thread.currentThread());
        assertThat(answer.text()).isEqualTo(String.join("", pieces));
        assertThat(answer.provider()).isEqualTo(provider);
        assertThat(answer.model()).isEqualTo(model);
        assertThat(answer.tokensIn()).isEqualTo(tokensIn);
        assertThat(answer.tokensOut()).isEqualTo(tokensOut);
        assertThat(answer.citedPassages()).containsExactly(1);
        assertThat(answer.fallback()).isFalse();
    }

    /** "w0 ", "w1 ", ...: a long answer to cancel in the middle of. */
    static String[] words(int count) {
        String[] words = new String[count];
        for (int i = 0; i < count; i++) {
            words[i] = "w" + i + " ";
        }
        return words;
    }

    /** Records the pieces and asks to cancel once {@code after} of them arrived. */
    static final class CancellingSink implements TokenSink {

        final RecordingSink recorded = new RecordingSink();
        private final int after;
        private volatile boolean cancel;

        CancellingSink(int after) {
            this.after = after;
        }

        @Override
        public void onToken(String text) {
            recorded.onToken(text);
            cancel = cancel || recorded.tokens.size() >= after;
        }

        boolean cancelled() {
            return cancel;
        }
    }
}
