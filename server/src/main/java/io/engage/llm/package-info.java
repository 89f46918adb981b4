/**
 * LLM: turns a composed prompt plus retrieved passages into an answer, streamed token by token. Providers: the
 * built-in extractive responder (default, no key), OpenAI, Google Gemini, Ollama and any OpenAI-compatible server,
 * each behind timeouts, retries and a circuit breaker; a failing provider falls back to the extractive responder so
 * an end-user never gets an empty reply. Public face: {@link io.engage.llm.LlmService} and its request/answer
 * records.
 */
package io.engage.llm;
