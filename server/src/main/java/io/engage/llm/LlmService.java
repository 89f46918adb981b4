package io.engage.llm;

import java.util.function.BooleanSupplier;

/**
 * Generates answers. Blocks the calling thread until the answer is complete, pushing text to the sink as it is
 * produced; {@code cancelled} is polled while streaming and, once true, stops generation (closing the provider
 * stream). Never throws for provider failures: it falls back to the extractive responder.
 */
public interface LlmService {

    LlmAnswer generate(LlmRequest request, TokenSink sink, BooleanSupplier cancelled);
}
