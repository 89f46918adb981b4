package io.engage.llm;

import com.fasterxml.jackson.core.JsonProcessingException;

/** JSON string quoting for hand-written wire payloads. */
final class FakeProviderServerJson {

    private FakeProviderServerJson() {
    }

    static String quote(String text) {
        try {
            return FakeProviderServer.JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
