package io.engage.conversation;

import io.engage.agents.Agent;
import io.engage.agents.AgentService;
import io.engage.cluster.AgentStamps;
import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Times;
import io.engage.endusers.EndUser;
import io.engage.endusers.EndUsers;
import io.engage.llm.ChatTurn;
import io.engage.llm.LlmAnswer;
import io.engage.llm.LlmRequest;
import io.engage.llm.LlmService;
import io.engage.llm.LlmSettings;
import io.engage.llm.Passage;
import io.engage.llm.TokenSink;
import io.engage.memory.ConversationMemory;
import io.engage.memory.MemoryTurn;
import io.engage.retrieval.RetrievalService;
import io.engage.retrieval.SearchHit;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * One answer, end to end: end-user → identity → per-user limit → memory → follow-up rewrite → retrieval →
 * grounding guard → prompt → model (streamed) → stored turn → memory. Split in two phases so that the streaming
 * endpoint can report every refusal (401/403/404/422/429) as a normal problem response before it starts streaming:
 * {@link #prepare} validates and decides, {@link #answer} generates.
 */
@Service
class AgentRuntime {

    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    private static final int MAX_MESSAGE_CHARS = 4000;
    private static final int MAX_END_USER_ID_CHARS = 200;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final int SNIPPET_CHARS = 240;
    private static final int MAX_CITATIONS = 3;
    /** How long a question waits for another node to store a conversation its visitor's memory names. */
    private static final Duration OTHER_NODE_STORES = Duration.ofSeconds(2);
    private static final Duration OTHER_NODE_POLL = Duration.ofMillis(20);
    /** Carries userHash on requests without a body (GET /agent/conversation). */
    static final String USER_HASH_HEADER = "X-Engage-User-Hash";

    /** A validated question, ready to answer. */
    record Prepared(Agent agent, EndUser endUser, String endUserId, String message, UUID conversationId,
            boolean newConversation, UUID userMessageId, UUID answerId, List<MemoryTurn> history,
            Instant startedAt, long startNanos) {
    }

    private final AgentService agents;
    private final EndUsers endUsers;
    private final AgentAccess access;
    private final ConversationMemory memory;
    private final RetrievalService retrieval;
    private final LlmService llm;
    private final TurnWriter writer;
    private final AgentLookup lookup;
    private final AgentStamps stamps;

    /** What {@link #readAhead} asked Redis for: the memory of this agent and end-user. */
    record ReadAhead(UUID agentId, String endUserId, ConversationMemory.Recall recall) {
    }

    AgentRuntime(AgentService agents, EndUsers endUsers, AgentAccess access, ConversationMemory memory,
            RetrievalService retrieval, LlmService llm, TurnWriter writer, AgentLookup lookup, AgentStamps stamps) {
        this.agents = agents;
        this.endUsers = endUsers;
        this.access = access;
        this.memory = memory;
        this.retrieval = retrieval;
        this.llm = llm;
        this.writer = writer;
        this.lookup = lookup;
        this.stamps = stamps;
    }

    /**
     * Sends Redis, without waiting, the two reads every question of {@code agentId} starts with: the agent's change
     * stamp (for the cached agent) and the visitor's memory, so that the request waits for one round trip instead
     * of two. Reading is all it does: {@link #prepare} uses the memory only once the key is verified to be the
     * agent's and only for the same end-user. Null when the request names no valid end-user.
     */
    ReadAhead readAhead(UUID agentId, QueryRequest request) {
        String endUserId;
        try {
            endUserId = validEndUserId(request == null ? null : request.endUserId());
        } catch (ApiProblem invalid) {
            return null; // prepare refuses it
        }
        stamps.prefetch(agentId);
        return new ReadAhead(agentId, endUserId, memory.startRecall(agentId, endUserId));
    }

    /**
     * Validates the request and resolves end-user and conversation; throws a problem for every refusal. The memory
     * comes from {@code ahead} (may be null) when it was read for this agent and end-user.
     */
    Prepared prepare(Agent agent, QueryRequest request, ReadAhead ahead) {
        long startNanos = System.nanoTime();
        String endUserId = validEndUserId(request == null ? null : request.endUserId());
        String message = request.message() == null ? "" : request.message().strip();
        if (message.isEmpty()) {
            throw ApiProblem.unprocessable("message", "must not be blank");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw ApiProblem.unprocessable("message", "must have at most " + MAX_MESSAGE_CHARS + " characters");
        }
        String name = optional(request.name(), "name", 200);
        String email = optional(request.email(), "email", 320);
        if (agent.identityVerification().enabled()) {
            verifyIdentity(agent, endUserId, request.userHash());
        }
        access.checkEndUserLimit(agent, endUserId);
        EndUser endUser = endUsers.contact(agent.companyId(), agent.id(), endUserId, name, email);
        if (endUser.blocked()) {
            throw ApiProblem.forbidden("This user has been blocked by the site");
        }
        List<MemoryTurn> history = ahead != null && ahead.agentId().equals(agent.id())
                && ahead.endUserId().equals(endUserId) ? ahead.recall().turns() : memory.recall(agent.id(), endUserId);
        UUID conversationId = request.conversationId();
        boolean newConversation = false;
        if (conversationId != null) {
            if (!conversationKnown(agent, endUser.id(), conversationId, history)) {
                throw ApiProblem.notFound("Conversation", conversationId);
            }
        } else {
            // within the memory window a visitor continues their conversation (a reload keeps it going)
            UUID remembered = Boolean.TRUE.equals(request.newConversation()) ? null : rememberedConversation(history);
            if (remembered != null && conversationKnown(agent, endUser.id(), remembered, history)) {
                conversationId = remembered;
            } else {
                conversationId = Ids.newId();
                newConversation = true;
            }
        }
        // memory of another conversation (the visitor started a new one) is not this conversation's context
        UUID current = conversationId;
        history = history.stream().filter(turn -> current.equals(turn.conversationId())).toList();
        return new Prepared(agent, endUser, endUserId, message, conversationId, newConversation, Ids.newId(),
                Ids.newId(), history, Times.now(), startNanos);
    }

    /**
     * Generates the answer, streaming its text to {@code sink}, then stores the turn and remembers it. Stops early
     * when {@code cancelled} turns true (the client went away); what was produced is still stored.
     */
    QueryAnswer answer(Prepared p, TokenSink sink, BooleanSupplier cancelled) {
        Agent agent = p.agent();
        String retrievalQuery = FollowUps.retrievalQuery(p.message(), p.history());
        Outcome outcome;
        if (HandoffIntent.requested(p.message())) {
            outcome = Outcome.fixed(agent.handoffMessage(), false, sink);
        } else {
            List<SearchHit> hits = retrieval.search(agent.id(), retrievalQuery, agent.retrieval().topK());
            List<SearchHit> relevant = hits.stream()
                    .filter(hit -> hit.similarity() >= agent.retrieval().minScore()).toList();
            if (relevant.isEmpty()) {
                // grounding guard: nothing relevant enough, so no answer is invented
                outcome = Outcome.fixed(agent.fallbackMessage(), true, sink);
            } else {
                outcome = generate(p, relevant, sink, cancelled);
            }
        }
        int latencyMs = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - p.startNanos()) / 1_000_000);
        Instant answeredAt = Times.now();
        ConversationRepository.Turn turn = new ConversationRepository.Turn(p.conversationId(), agent.id(),
                agent.companyId(), p.userMessageId(), p.message(), p.startedAt(), p.answerId(), outcome.text(),
                retrievalQuery, outcome.citations(), outcome.grounded(), outcome.handoff(), outcome.fallback(),
                outcome.fallbackReason(), outcome.provider(), outcome.model(), outcome.tokensIn(),
                outcome.tokensOut(), latencyMs, outcome.cancelled(), answeredAt);
        if (p.newConversation()) {
            lookup.created(p.conversationId(), agent.id(), p.endUser().id());
            writer.submit(new TurnWriter.Created(new ConversationRepository.NewConversation(p.conversationId(),
                    agent.companyId(), agent.id(), p.endUser().id(), p.startedAt())));
        }
        writer.submit(new TurnWriter.Answered(turn, p.endUser().id(), outcome.gap()));
        memory.append(agent.id(), p.endUserId(), List.of(
                new MemoryTurn(MemoryTurn.USER, p.message(), p.conversationId(), p.startedAt(), p.userMessageId()),
                new MemoryTurn(MemoryTurn.ASSISTANT, outcome.text(), p.conversationId(), answeredAt,
                        p.answerId())));
        if (outcome.fallback()) {
            log.warn("Answered with the extractive responder after a provider failure: agentId={} reason={}",
                    agent.id(), outcome.fallbackReason());
        }
        return new QueryAnswer(p.conversationId(), p.answerId(), outcome.text(), outcome.citations(),
                outcome.grounded(), outcome.handoff());
    }

    /** The conversation a visitor without a conversationId continues: the latest one in memory, if any. */
    static UUID rememberedConversation(List<MemoryTurn> history) {
        return history.isEmpty() ? null : history.get(history.size() - 1).conversationId();
    }

    /**
     * Stored, or queued for storing by this node; or named by the visitor's memory ({@code history}, all of it) and
     * stored by the node that created it within {@link #OTHER_NODE_STORES}. Memory is written before an answer
     * returns, the conversation row only when that node's writer next stores (after up to
     * {@code engage.conversation.write-linger}), so a visitor whose next question reaches another node at once would
     * otherwise get a 404 or, without a conversationId, a new conversation. Only the server writes memory, sealed and
     * bound to the agent and end-user, so a conversation it names is this visitor's.
     */
    boolean conversationKnown(Agent agent, UUID endUserId, UUID conversationId, List<MemoryTurn> history) {
        if (writer.pendingConversation(agent.id(), endUserId, conversationId)
                || lookup.conversationOf(agent, endUserId, conversationId)) {
            return true;
        }
        if (history.stream().noneMatch(turn -> conversationId.equals(turn.conversationId()))) {
            return false;
        }
        long deadline = System.nanoTime() + OTHER_NODE_STORES.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(OTHER_NODE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (lookup.conversationOf(agent, endUserId, conversationId)) {
                return true;
            }
        }
        // not stored in time (that node's database writes are failing, or the conversation is gone)
        log.warn("Conversation {} is in the visitor's memory but was not stored within {} ms", conversationId,
                OTHER_NODE_STORES.toMillis());
        return false;
    }

    private Outcome generate(Prepared p, List<SearchHit> relevant, TokenSink sink, BooleanSupplier cancelled) {
        Agent agent = p.agent();
        List<Passage> passages = new ArrayList<>();
        for (int i = 0; i < relevant.size(); i++) {
            SearchHit hit = relevant.get(i);
            passages.add(new Passage(i + 1, hit.title(), hit.url(), hit.text(), hit.score()));
        }
        // the key is decrypted only when there is one (one read and one AES-GCM open per answer)
        String apiKey = agent.llm().apiKeySet() ? agents.secrets(agent.companyId(), agent.id()).llmApiKey() : null;
        LlmSettings settings = new LlmSettings(agent.llm().provider(), agent.llm().model(), agent.llm().baseUrl(),
                apiKey, agent.llm().temperature(), agent.llm().maxTokens());
        List<ChatTurn> history = p.history().stream().map(turn -> new ChatTurn(
                MemoryTurn.USER.equals(turn.role()) ? ChatTurn.Speaker.USER : ChatTurn.Speaker.ASSISTANT,
                turn.text())).toList();
        LlmRequest request = new LlmRequest(settings, PromptComposer.systemPrompt(agent, passages), history,
                PromptComposer.userMessage(p.message()), p.message(), passages);
        LlmAnswer answer = llm.generate(request, sink, cancelled);
        if (answer.text().isBlank() && !answer.cancelled()) {
            // the model had nothing to say from these passages: same as finding nothing
            Outcome fallback = Outcome.fixed(agent.fallbackMessage(), true, sink);
            return fallback.withModel(answer);
        }
        List<Integer> cited = answer.citedPassages().isEmpty()
                ? List.of(1) : answer.citedPassages();
        List<Citation> citations = new ArrayList<>();
        for (int number : cited) {
            if (number >= 1 && number <= relevant.size() && citations.size() < MAX_CITATIONS) {
                Citation citation = citationOf(relevant.get(number - 1));
                if (citations.stream().noneMatch(c -> c.sourceId().equals(citation.sourceId())
                        && c.snippet().equals(citation.snippet()))) {
                    citations.add(citation);
                }
            }
        }
        return new Outcome(answer.text(), List.copyOf(citations), true, false, false, answer.fallback(),
                answer.fallbackReason(), answer.provider().wire(), answer.model(), answer.tokensIn(),
                answer.tokensOut(), answer.cancelled());
    }

    private static Citation citationOf(SearchHit hit) {
        String text = hit.text().strip();
        String snippet = text.length() <= SNIPPET_CHARS ? text : text.substring(0, SNIPPET_CHARS).strip() + "…";
        return new Citation(hit.sourceId(), hit.title(), hit.url(), snippet);
    }

    /** 401 unless {@code userHash} is the HMAC of the end-user id with the agent's identity secret. */
    void verifyIdentity(Agent agent, String endUserId, String userHash) {
        if (userHash == null || userHash.isBlank()) {
            throw ApiProblem.unauthorized("This agent requires identity verification: send userHash (on GET requests "
                    + "the " + USER_HASH_HEADER + " header), the HMAC-SHA256 of endUserId with the agent's identity "
                    + "secret, hex-encoded");
        }
        String secret = agents.secrets(agent.companyId(), agent.id()).identitySecret();
        if (secret == null || !constantTimeEquals(hmacHex(secret, endUserId), userHash.trim().toLowerCase())) {
            throw ApiProblem.unauthorized("userHash does not match endUserId");
        }
    }

    static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    static String validEndUserId(String endUserId) {
        if (endUserId == null || endUserId.isBlank()) {
            throw ApiProblem.unprocessable("endUserId", "must not be blank");
        }
        String trimmed = endUserId.strip();
        if (trimmed.length() > MAX_END_USER_ID_CHARS) {
            throw ApiProblem.unprocessable("endUserId", "must have at most " + MAX_END_USER_ID_CHARS + " characters");
        }
        if (CONTROL.matcher(trimmed).find()) {
            throw ApiProblem.unprocessable("endUserId", "must not contain control characters");
        }
        return trimmed;
    }

    private static String optional(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max || CONTROL.matcher(trimmed).find()) {
            throw ApiProblem.unprocessable(field, "must have at most " + max + " characters and no control "
                    + "characters");
        }
        return trimmed;
    }

    /** How an answer came about, as stored. gap: no knowledge for the question (not a request for a person). */
    private record Outcome(String text, List<Citation> citations, boolean grounded, boolean handoff, boolean gap,
            boolean fallback, String fallbackReason, String provider, String model, int tokensIn, int tokensOut,
            boolean cancelled) {

        /** A configured message handing off to a person (fallback or handoff), streamed like generated text. */
        static Outcome fixed(String text, boolean gap, TokenSink sink) {
            sink.onToken(text);
            return new Outcome(text, List.of(), false, true, gap, false, null, "none", null, 0, 0, false);
        }

        Outcome withModel(LlmAnswer answer) {
            return new Outcome(text, citations, grounded, handoff, gap, answer.fallback(), answer.fallbackReason(),
                    answer.provider().wire(), answer.model(), answer.tokensIn(), answer.tokensOut(), false);
        }
    }
}
