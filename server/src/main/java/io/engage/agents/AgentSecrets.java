package io.engage.agents;

/** An agent's decrypted secrets (null when unset). {@link #toString()} never shows them. */
public record AgentSecrets(String llmApiKey, String identitySecret) {

    @Override
    public String toString() {
        return "AgentSecrets[llmApiKey=" + (llmApiKey == null ? "unset" : "***") + ", identitySecret="
                + (identitySecret == null ? "unset" : "***") + "]";
    }
}
