package io.engage.llm;

/** Receives answer text as the model produces it, in order; called from one thread at a time. */
@FunctionalInterface
public interface TokenSink {

    void onToken(String text);

    TokenSink NONE = text -> { };
}
