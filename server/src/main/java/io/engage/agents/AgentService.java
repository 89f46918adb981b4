package io.engage.agents;

import io.engage.cluster.AgentStamps;
import io.engage.cluster.StampedCache;
import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.common.Times;
import io.engage.crypto.SecretCipher;
import io.engage.tenancy.CompanyDeletionStarted;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Agent configuration: defaults, merge-on-update, validation across fields, sealing of secrets, deletion. */
@Service
public class AgentService {

    private static final Logger log = LoggerFactory.getLogger(AgentService.class);

    static final String DEFAULT_GREETING = "Hi! How can I help you today?";
    static final String DEFAULT_FALLBACK = "Sorry, I don't have an answer to that yet. Would you like to talk to a "
            + "person?";
    static final String DEFAULT_HANDOFF = "I'll pass this conversation to a person from our team; they will get back "
            + "to you here as soon as possible.";

    private record CompanyAgent(UUID companyId, UUID agentId) {
    }

    private final AgentRepository agents;
    private final SecretCipher cipher;
    private final ApplicationEventPublisher events;
    /**
     * Opened secrets, read for every answer of an agent with a provider key or identity verification. Holding them
     * opened adds nothing new to the heap: the provider clients are cached with their keys anyway.
     */
    private final StampedCache<CompanyAgent, AgentSecrets> openedSecrets;

    AgentService(AgentRepository agents, SecretCipher cipher, ApplicationEventPublisher events, AgentStamps stamps) {
        this.agents = agents;
        this.cipher = cipher;
        this.events = events;
        this.openedSecrets = stamps.newCache(100_000);
    }

    // ---- public lookups for other modules ----

    /** The company's agent; empty when it does not exist or belongs to another company. */
    @Transactional(readOnly = true)
    public Optional<Agent> find(UUID companyId, UUID agentId) {
        return agents.find(companyId, agentId).map(AgentRow::toAgent);
    }

    /** The company's agent, or 404. */
    @Transactional(readOnly = true)
    public Agent require(UUID companyId, UUID agentId) {
        return find(companyId, agentId).orElseThrow(() -> ApiProblem.notFound("Agent", agentId));
    }

    /** Any company's agent, for platform admins; or 404. */
    @Transactional(readOnly = true)
    public Agent requireAnyCompany(UUID agentId) {
        return agents.findAnyCompany(agentId).map(AgentRow::toAgent)
                .orElseThrow(() -> ApiProblem.notFound("Agent", agentId));
    }

    /** Any company's agent, for the agent runtime (the widget key already named the agent). */
    @Transactional(readOnly = true)
    public Optional<Agent> findAnyCompany(UUID agentId) {
        return agents.findAnyCompany(agentId).map(AgentRow::toAgent);
    }

    /** All agents of the company. */
    @Transactional(readOnly = true)
    public List<Agent> listOfCompany(UUID companyId) {
        return agents.idsOfCompany(companyId).stream().map(id -> require(companyId, id)).toList();
    }

    /**
     * The agent's decrypted secrets, for the agent runtime only (calling the provider, checking identity hashes).
     * Never return these from an API or log them. Cached under the agent's change stamp: one read, and no
     * transaction, per cache miss.
     */
    public AgentSecrets secrets(UUID companyId, UUID agentId) {
        AgentSecrets secrets = openedSecrets.get(agentId, new CompanyAgent(companyId, agentId),
                () -> agents.find(companyId, agentId).map(this::open).orElse(null));
        if (secrets == null) {
            throw ApiProblem.notFound("Agent", agentId);
        }
        return secrets;
    }

    private AgentSecrets open(AgentRow row) {
        UUID agentId = row.id();
        return new AgentSecrets(
                row.llmApiKeySealed() == null ? null
                        : cipher.decrypt(row.llmApiKeySealed(), secretContext(agentId, LLM_API_KEY)),
                row.identitySecretSealed() == null ? null
                        : cipher.decrypt(row.identitySecretSealed(), secretContext(agentId, IDENTITY_SECRET)));
    }

    static final String LLM_API_KEY = "llm-api-key";
    static final String IDENTITY_SECRET = "identity-secret";

    /** The encryption context of an agent's secret: a sealed value only opens for its own agent and purpose. */
    static String secretContext(UUID agentId, String purpose) {
        return "agent:" + agentId + ":" + purpose;
    }

    // ---- company and admin operations ----

    @Transactional(readOnly = true)
    Page<Agent> list(UUID companyId, AgentStatus status, PageQuery page) {
        return Page.of(agents.list(companyId, status, page), page, AgentRow::id).map(AgentRow::toAgent);
    }

    /**
     * Platform admin: disables any company's agent (every agent API call then gets 403, on every node at once, as
     * the agent is read on each call) or enables it again. The company's own settings and status stay as they are.
     */
    @Transactional
    public Agent setDisabled(UUID agentId, boolean disabled) {
        if (!agents.setDisabled(agentId, disabled ? Times.now() : null)) {
            throw ApiProblem.notFound("Agent", agentId);
        }
        log.info("Agent {} by the platform admin: agentId={}", disabled ? "disabled" : "enabled", agentId);
        return requireAnyCompany(agentId);
    }

    /** Creates an agent as {@code POST /company/agents} does (defaults, validation, sealed secrets). */
    @Transactional
    public Agent create(UUID companyId, AgentRequest request) {
        if (request.name() == null || request.name().isBlank()) {
            throw ApiProblem.unprocessable("name", "must not be blank");
        }
        Instant now = Times.now();
        UUID id = Ids.newId();
        AgentRow defaults = new AgentRow(id, companyId, request.name().trim(), "", "", DEFAULT_GREETING,
                Tone.FRIENDLY, "en", DEFAULT_FALLBACK, List.of(), DEFAULT_HANDOFF, AgentStatus.DRAFT, LlmProvider.EXTRACTIVE, null, null, null,
                0.2, 512, 5, 0.2, WidgetMode.CHAT, request.name().trim(), "#2563eb", WidgetPosition.BOTTOM_RIGHT,
                List.of(), List.of(), LauncherIcon.CHAT, null, false, null, 60, 10, now, now, null);
        AgentRow row = merge(defaults, request, now);
        agents.insert(row);
        log.info("Agent created: companyId={} agentId={}", companyId, id);
        return row.toAgent();
    }

    @Transactional
    Agent update(UUID companyId, UUID agentId, AgentRequest request) {
        AgentRow current = agents.find(companyId, agentId).orElseThrow(() -> ApiProblem.notFound("Agent", agentId));
        if (request.name() != null && request.name().isBlank()) {
            throw ApiProblem.unprocessable("name", "must not be blank");
        }
        AgentRow row = merge(current, request, Times.now());
        if (!agents.update(row)) {
            throw ApiProblem.notFound("Agent", agentId);
        }
        return row.toAgent();
    }

    @Transactional
    void delete(UUID companyId, UUID agentId) {
        if (!agents.delete(companyId, agentId)) {
            throw ApiProblem.notFound("Agent", agentId);
        }
        events.publishEvent(new AgentDeleted(agentId, companyId));
        log.info("Agent deleted: companyId={} agentId={}", companyId, agentId);
    }

    /** Cascade: a company being deleted takes its agents with it (and each agent's dependants, via AgentDeleted). */
    @EventListener
    void onCompanyDeletion(CompanyDeletionStarted event) {
        for (UUID agentId : agents.idsOfCompany(event.companyId())) {
            delete(event.companyId(), agentId);
        }
    }

    // ---- merge and validation ----

    /** Applies the present fields of the request over {@code base}; absent fields keep the base's values. */
    private AgentRow merge(AgentRow base, AgentRequest r, Instant now) {
        AgentRequest.LlmRequest llm = r.llm() == null ? new AgentRequest.LlmRequest(null, null, null, null, null, null)
                : r.llm();
        AgentRequest.RetrievalRequest retrieval = r.retrieval() == null ? new AgentRequest.RetrievalRequest(null, null)
                : r.retrieval();
        AgentRequest.WidgetRequest widget = r.widget() == null
                ? new AgentRequest.WidgetRequest(null, null, null, null, null, null, null, null) : r.widget();
        AgentRequest.IdentityRequest identity = r.identityVerification() == null
                ? new AgentRequest.IdentityRequest(null, null) : r.identityVerification();
        AgentRequest.LimitsRequest limits = r.limits() == null ? new AgentRequest.LimitsRequest(null, null)
                : r.limits();

        LlmProvider provider = or(llm.provider(), base.llmProvider());
        boolean providerChanged = provider != base.llmProvider();
        // a new provider does not inherit the old one's model, endpoint or key
        String model = blankToNull(or(llm.model(), providerChanged ? null : base.llmModel()));
        if (model == null) {
            model = defaultModel(provider);
        }
        String baseUrl = blankToNull(or(llm.baseUrl(), providerChanged ? null : base.llmBaseUrl()));
        validateLlm(provider, model, baseUrl);
        String apiKeySealed = sealed(llm.apiKey(), providerChanged ? null : base.llmApiKeySealed(),
                base.id(), LLM_API_KEY);

        boolean identityEnabled = or(identity.enabled(), base.identityEnabled());
        String identitySealed = sealed(identity.secret(), base.identitySecretSealed(), base.id(), IDENTITY_SECRET);
        if (identity.secret() != null && !identity.secret().isEmpty() && identity.secret().length() < 16) {
            throw ApiProblem.unprocessable("identityVerification.secret", "must have at least 16 characters");
        }
        if (identityEnabled && identitySealed == null) {
            throw ApiProblem.unprocessable("identityVerification.secret",
                    "is required when identity verification is enabled");
        }

        return new AgentRow(base.id(), base.companyId(),
                r.name() == null ? base.name() : r.name().trim(),
                or(r.description(), base.description()),
                or(r.systemPrompt(), base.systemPrompt()),
                or(r.greeting(), base.greeting()),
                or(r.tone(), base.tone()),
                r.language() == null ? base.language() : r.language(),
                or(r.fallbackMessage(), base.fallbackMessage()),
                r.allowedTopics() == null ? base.allowedTopics()
                        : r.allowedTopics().stream().map(String::trim).distinct().toList(),
                or(r.handoffMessage(), base.handoffMessage()),
                or(r.status(), base.status()),
                provider, model, baseUrl, apiKeySealed,
                or(llm.temperature(), base.llmTemperature()),
                or(llm.maxTokens(), base.llmMaxTokens()),
                or(retrieval.topK(), base.retrievalTopK()),
                or(retrieval.minScore(), base.retrievalMinScore()),
                or(widget.mode(), base.widgetMode()),
                or(widget.title(), base.widgetTitle()),
                widget.primaryColor() == null ? base.widgetPrimaryColor()
                        : widget.primaryColor().toLowerCase(Locale.ROOT),
                or(widget.position(), base.widgetPosition()),
                widget.suggestedQuestions() == null ? base.suggestedQuestions()
                        : widget.suggestedQuestions().stream().map(String::trim).toList(),
                widget.allowedOrigins() == null ? base.allowedOrigins() : normalizeOrigins(widget.allowedOrigins()),
                or(widget.launcherIcon(), base.launcherIcon()),
                widget.handoffUrl() == null ? base.handoffUrl() : handoffUrl(widget.handoffUrl()),
                identityEnabled, identitySealed,
                or(limits.requestsPerMinute(), base.requestsPerMinute()),
                or(limits.perEndUserPerMinute(), base.perEndUserPerMinute()),
                base.createdAt(), now, base.disabledAt());
    }

    static String defaultModel(LlmProvider provider) {
        return switch (provider) {
            case EXTRACTIVE -> null;
            case OPENAI -> "gpt-4o-mini";
            case GEMINI -> "gemini-2.0-flash";
            case OLLAMA -> "llama3";
            case OPENAI_COMPATIBLE -> null;
        };
    }

    private static void validateLlm(LlmProvider provider, String model, String baseUrl) {
        if (provider == LlmProvider.OPENAI_COMPATIBLE) {
            if (baseUrl == null) {
                throw ApiProblem.unprocessable("llm.baseUrl", "is required for provider openai-compatible");
            }
            if (model == null) {
                throw ApiProblem.unprocessable("llm.model", "is required for provider openai-compatible");
            }
        }
        if (baseUrl != null) {
            try {
                URI uri = new URI(baseUrl);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw ApiProblem.unprocessable("llm.baseUrl", "must be an http or https URL");
                }
            } catch (URISyntaxException e) {
                throw ApiProblem.unprocessable("llm.baseUrl", "must be an http or https URL");
            }
        }
    }

    /** "*" or scheme://host[:port], lowercased, without trailing slash; anything else is rejected. */
    static List<String> normalizeOrigins(List<String> origins) {
        List<String> normalized = new ArrayList<>();
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i).trim().toLowerCase(Locale.ROOT);
            if (origin.endsWith("/")) {
                origin = origin.substring(0, origin.length() - 1);
            }
            if (!origin.equals("*") && !isOrigin(origin)) {
                throw ApiProblem.unprocessable("widget.allowedOrigins[" + i + "]",
                        "must be \"*\" or an origin like https://www.example.com (scheme, host, optional port)");
            }
            if (!normalized.contains(origin)) {
                normalized.add(origin);
            }
        }
        return List.copyOf(normalized);
    }

    /**
     * "" (or blank) clears; otherwise an absolute http(s) URL with a host, or a mailto: URL with an address. Other
     * schemes (javascript:, data:, ...) are refused: the widget puts this value into a link on customers' pages.
     */
    static String handoffUrl(String value) {
        String url = value.strip();
        if (url.isEmpty()) {
            return null;
        }
        String message = "must be an absolute https:// or http:// URL, or a mailto: URL";
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean valid = switch (scheme) {
                case "http", "https" -> uri.getHost() != null && uri.getRawUserInfo() == null;
                case "mailto" -> uri.getRawSchemeSpecificPart() != null
                        && uri.getRawSchemeSpecificPart().contains("@");
                default -> false;
            };
            if (!valid || url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
                throw ApiProblem.unprocessable("widget.handoffUrl", message);
            }
        } catch (URISyntaxException e) {
            throw ApiProblem.unprocessable("widget.handoffUrl", message);
        }
        return url;
    }

    private static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Write-only secret: null keeps the current sealed value, "" clears it, anything else is sealed anew. */
    private String sealed(String presented, String current, UUID agentId, String purpose) {
        if (presented == null) {
            return current;
        }
        if (presented.isEmpty()) {
            return null;
        }
        return cipher.encrypt(presented, secretContext(agentId, purpose));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
