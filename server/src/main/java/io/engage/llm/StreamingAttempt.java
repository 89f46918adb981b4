package io.engage.llm;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bridges one provider stream (callbacks on the HTTP client's threads) to the caller's thread: callbacks only enqueue
 * events, and the caller drains them, so the {@link TokenSink} is invoked by one thread, in order.
 *
 * <p>The provider's {@link StreamingHandle} arrives with the first token. Once the caller gives up ({@link #abandon()}:
 * cancelled, timed out), the stream is cancelled right away if a handle is known, else at the next token that
 * arrives, so a late provider does not keep streaming into the void.
 */
final class StreamingAttempt implements StreamingChatResponseHandler {

    sealed interface Event permits Token, Completed, Failed {
    }

    record Token(String text) implements Event {
    }

    record Completed(ChatResponse response) implements Event {
    }

    record Failed(Throwable error) implements Event {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile StreamingHandle handle;
    private volatile boolean abandoned;

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        handle = context.streamingHandle();
        if (abandoned) {
            handle.cancel();
            return;
        }
        events.add(new Token(partialResponse.text()));
    }

    /** Providers that do not pass a streaming handle. */
    @Override
    public void onPartialResponse(String partialResponse) {
        if (!abandoned) {
            events.add(new Token(partialResponse));
        }
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        events.add(new Completed(completeResponse));
    }

    @Override
    public void onError(Throwable error) {
        events.add(new Failed(error));
    }

    /** The next event, or null if none came within the wait. */
    Event next(long waitNanos) throws InterruptedException {
        return events.poll(waitNanos, TimeUnit.NANOSECONDS);
    }

    void abandon() {
        abandoned = true;
        StreamingHandle known = handle;
        if (known != null && !known.isCancelled()) {
            known.cancel();
        }
    }
}
