package io.engage.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.agents.Agent;
import io.engage.common.ApiProblem;
import io.engage.common.DaemonThreads;
import io.engage.common.DatabaseOutages;
import io.engage.memory.ConversationMemory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The AI Agent API, called by the widget (or a site's server) with the agent's key in {@code X-Engage-Key}.
 * {@code POST /agent/query} answers as one JSON document, or, with {@code Accept: text/event-stream}, as SSE events:
 * {@code start} (conversation and message ids), {@code token} (text as it is generated), {@code citations},
 * {@code done} (the complete answer, as the JSON variant returns it); {@code error} if it fails mid-way.
 */
@RestController
@Tag(name = "AI Agent API")
@SecurityRequirement(name = "agentKey")
class AgentApiController implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AgentApiController.class);

    private final AgentAccess access;
    private final AgentRuntime runtime;
    private final AgentEvents events;
    private final HelpSearch helpSearch;
    private final VisitorConversations visitorConversations;
    private final ConversationMemory memory;
    private final ObjectMapper json;
    private final ConversationProperties properties;
    private final ThreadPoolExecutor streams;

    AgentApiController(AgentAccess access, AgentRuntime runtime, AgentEvents events, HelpSearch helpSearch,
            VisitorConversations visitorConversations, ConversationMemory memory, ObjectMapper json,
            ConversationProperties properties) {
        this.access = access;
        this.runtime = runtime;
        this.events = events;
        this.helpSearch = helpSearch;
        this.visitorConversations = visitorConversations;
        this.memory = memory;
        this.json = json;
        this.properties = properties;
        this.streams = new ThreadPoolExecutor(0, properties.maxConcurrentStreams(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("engage-answer"));
    }

    @GetMapping("/agent/config")
    @Operation(summary = "Public widget settings of the key's agent")
    ResponseEntity<WidgetConfig> config(HttpServletRequest request) {
        Agent agent = access.authenticate(request, AgentAccess.Call.WIDGET);
        // fetched on every page view: the browser may reuse it for a minute (per key; settings changes show
        // within that minute)
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofSeconds(60)).cachePrivate())
                .varyBy(AgentAccess.KEY_HEADER).body(new WidgetConfig(agent.id(), agent.name(), agent.greeting(), agent.language(),
                agent.widget().mode().wire(), agent.widget().title(), agent.widget().primaryColor(),
                agent.widget().position().wire(), agent.widget().suggestedQuestions(),
                agent.identityVerification().enabled(), agent.widget().launcherIcon().wire(),
                agent.widget().handoffUrl(), memory.ttl().toSeconds()));
    }

    @GetMapping("/agent/search")
    @Operation(summary = "Search the agent's knowledge as the visitor types (Q/A help-center panel)",
            description = "q: 1 to 300 characters; k: 1 to 10 results (default 5). One result per source, best "
                    + "first; FAQ entries have their question as title and their answer in answer. Hits that match "
                    + "no keyword and are less similar than the agent's retrieval.minScore are left out.")
    HelpSearch.Results search(@Parameter(description = "the visitor's query") @RequestParam(required = false) String q,
            @Parameter(description = "results wanted, 1 to 10 (default 5)") @RequestParam(required = false) String k,
            HttpServletRequest request) {
        Agent agent = access.authenticate(request, AgentAccess.Call.WIDGET);
        return helpSearch.search(agent, q, k);
    }

    @GetMapping("/agent/conversation")
    @Operation(summary = "The visitor's current conversation, to show again after a page reload",
            description = "The conversation POST /agent/query would continue now (the latest one remembered, within "
                    + "conversationTtlSeconds of its last message), with its messages oldest first; "
                    + "{conversationId: null, messages: []} when there is none. Creates no end-user. With identity "
                    + "verification on, send userHash in the X-Engage-User-Hash header.")
    VisitorConversations.Current conversation(
            @Parameter(description = "the visitor's id, as sent to /agent/query") @RequestParam(required = false)
            String endUserId,
            @Parameter(description = "HMAC-SHA256 of endUserId with the identity secret (hex), when identity "
                    + "verification is on") @RequestHeader(name = AgentRuntime.USER_HASH_HEADER, required = false)
            String userHash,
            HttpServletRequest request) {
        Agent agent = access.authenticate(request, AgentAccess.Call.WIDGET);
        return visitorConversations.current(agent, endUserId, userHash);
    }

    @PostMapping(path = "/agent/query", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Ask the agent (one JSON answer)", description = "Without conversationId the visitor's "
            + "current conversation continues; newConversation: true starts a new one instead.")
    QueryAnswer query(@RequestBody QueryRequest body, HttpServletRequest request) {
        return runtime.answer(prepare(request, body), text -> { }, () -> false);
    }

    @PostMapping(path = "/agent/query", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Ask the agent (answer streamed as server-sent events)")
    SseEmitter stream(@RequestBody QueryRequest body, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // every refusal happens here, before the stream starts, as a normal problem response
        AgentRuntime.Prepared prepared = prepare(request, body);
        // this thread sends the status and headers before the answer thread may write: the filters add headers as
        // the request leaves them (Spring Security's on commit or at the end of the chain), and the two threads
        // writing Tomcat's headers at once corrupted them (an NPE on commit, the stream never completed)
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.flushBuffer();
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        AtomicBoolean gone = new AtomicBoolean();
        emitter.onCompletion(() -> gone.set(true));
        emitter.onTimeout(() -> gone.set(true));
        emitter.onError(error -> gone.set(true));
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        try {
            streams.execute(() -> {
                if (logContext != null) {
                    MDC.setContextMap(logContext);
                }
                try {
                    stream(prepared, emitter, gone);
                } finally {
                    MDC.clear();
                }
            });
        } catch (RejectedExecutionException e) {
            throw ApiProblem.tooManyRequests("The server is answering too many questions at once; try again in a "
                    + "moment", Duration.ofSeconds(2));
        }
        return emitter;
    }

    /**
     * Key, origin, limits and the end-user's state. Deliberately not one transaction: a database connection held
     * across the Redis calls in between (limits, memory) would make the pool the bottleneck under load.
     */
    private AgentRuntime.Prepared prepare(HttpServletRequest request, QueryRequest body) {
        // the agent's stamp and the visitor's memory, asked for together before the key is checked (for a key this
        // node has seen): one Redis round trip instead of two
        AgentRuntime.ReadAhead ahead = access.knownAgent(request).map(agentId -> runtime.readAhead(agentId, body))
                .orElse(null);
        return runtime.prepare(access.authenticate(request, AgentAccess.Call.QUESTION), body, ahead);
    }

    private void stream(AgentRuntime.Prepared prepared, SseEmitter emitter, AtomicBoolean gone) {
        try {
            send(emitter, gone, "start", Map.of("conversationId", prepared.conversationId(), "messageId",
                    prepared.answerId()));
            QueryAnswer answer = runtime.answer(prepared,
                    text -> send(emitter, gone, "token", Map.of("text", text)), gone::get);
            send(emitter, gone, "citations", answer.citations());
            send(emitter, gone, "done", answer);
            emitter.complete();
        } catch (RuntimeException e) {
            // the database going away mid-answer is transient (503, try again), anything else a failure of ours
            boolean outage = DatabaseOutages.isOutage(e);
            if (outage) {
                log.warn("Streaming an answer failed, the database is unreachable: agentId={} conversationId={}: {}",
                        prepared.agent().id(), prepared.conversationId(), e.toString());
            } else {
                log.error("Streaming an answer failed: agentId={} conversationId={}", prepared.agent().id(),
                        prepared.conversationId(), e);
            }
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    outage ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.INTERNAL_SERVER_ERROR,
                    "The answer could not be completed; please try again");
            problem.setTitle("Answer failed");
            send(emitter, gone, "error", problem);
            emitter.complete();
        }
    }

    /** Sends one event; a failed send means the client went away, which cancels generation. */
    private void send(SseEmitter emitter, AtomicBoolean gone, String event, Object data) {
        if (gone.get()) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().name(event).data(json.writeValueAsString(data), MediaType.TEXT_PLAIN));
        } catch (IOException | IllegalStateException e) {
            gone.set(true);
        }
    }

    @PostMapping("/agent/events")
    @Operation(summary = "Record a widget event (feedback, widget_open, link_clicked, ...)")
    ResponseEntity<Map<String, Object>> event(@RequestBody AgentEventRequest body, HttpServletRequest request) {
        Agent agent = access.authenticate(request, AgentAccess.Call.WIDGET);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", events.record(agent, body)));
    }

    @Override
    public void destroy() throws InterruptedException {
        // graceful shutdown: answers being streamed finish (and are stored) before the context closes
        streams.shutdown();
        if (!streams.awaitTermination(20, TimeUnit.SECONDS)) {
            log.warn("Answers still streaming at shutdown were cut off");
            streams.shutdownNow();
        }
    }
}
