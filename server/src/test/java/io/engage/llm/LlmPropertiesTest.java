package io.engage.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LlmPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(LlmConfig.class);

    @Test
    void bindsDefaults() {
        context.run(ctx -> {
            LlmProperties properties = ctx.getBean(LlmProperties.class);
            assertThat(properties.openaiApiKey()).isEmpty();
            assertThat(properties.openaiBaseUrl()).isEqualTo("https://api.openai.com/v1");
            assertThat(properties.geminiBaseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
            assertThat(properties.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(properties.totalTimeout()).isEqualTo(Duration.ofSeconds(120));
            assertThat(properties.maxAttempts()).isEqualTo(2);
            assertThat(properties.retryBackoff()).isEqualTo(Duration.ofMillis(300));
            assertThat(properties.failureRateThreshold()).isEqualTo(50f);
            assertThat(properties.slidingWindowCalls()).isEqualTo(10);
            assertThat(properties.minimumCalls()).isEqualTo(5);
            assertThat(properties.openCircuitWait()).isEqualTo(Duration.ofSeconds(30));
        });
    }

    @Test
    void wiresTheServiceBean() {
        context.withUserConfiguration(ExtractiveResponder.class, DefaultLlmService.class)
                .run(ctx -> {
                    LlmService service = ctx.getBean(LlmService.class);
                    assertThat(service).isInstanceOf(DefaultLlmService.class);
                    LlmAnswer answer = service.generate(new LlmRequest(null, "s", List.of(), "u",
                            TestFixtures.QUESTION, TestFixtures.PASSAGES), TokenSink.NONE, TestFixtures.NEVER);
                    assertThat(answer.text()).isEqualTo(TestFixtures.EXTRACTIVE_ANSWER);
                });
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues("engage.llm.openai-api-key=sk-x", "engage.llm.first-token-timeout=5s",
                "engage.llm.max-attempts=3").run(ctx -> {
                    LlmProperties properties = ctx.getBean(LlmProperties.class);
                    assertThat(properties.openaiApiKey()).isEqualTo("sk-x");
                    assertThat(properties.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.maxAttempts()).isEqualTo(3);
                });
    }

    @Test
    void environmentVariablesFillBlankKeysAndTheOllamaUrl() {
        LlmProperties bound = new LlmProperties("", "o", "", "g", "", Duration.ZERO, Duration.ZERO, 2,
                Duration.ZERO, 50f, 10, 5, Duration.ZERO, 8);
        LlmProperties configured = new LlmProperties("sk-config", "o", "", "g", "http://ollama:11434", Duration.ZERO,
                Duration.ZERO, 2, Duration.ZERO, 50f, 10, 5, Duration.ZERO, 8);

        var fromEnv = bound.withEnvironmentDefaults(name -> switch (name) {
            case "OPENAI_API_KEY" -> "sk-env";
            case "GEMINI_API_KEY" -> "AIza-env";
            default -> null;
        });
        var explicit = configured.withEnvironmentDefaults(name -> "from-env");

        assertThat(fromEnv.openaiApiKey()).isEqualTo("sk-env");
        assertThat(fromEnv.geminiApiKey()).isEqualTo("AIza-env");
        assertThat(fromEnv.ollamaBaseUrl()).isEqualTo("http://localhost:11434");
        assertThat(explicit.openaiApiKey()).isEqualTo("sk-config");
        assertThat(explicit.ollamaBaseUrl()).isEqualTo("http://ollama:11434");
    }
}
