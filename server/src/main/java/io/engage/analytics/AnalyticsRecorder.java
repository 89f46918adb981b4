package io.engage.analytics;

import io.engage.analytics.EventStore.ConversationState;
import io.engage.analytics.EventStore.Vote;
import io.engage.analytics.EventStore.QuestionDelta;
import io.engage.analytics.EventStore.Recorded;
import io.engage.analytics.EventStore.BucketKey;
import io.engage.knowledge.Embedder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.roaringbitmap.RoaringBitmap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns events into raw rows plus rollup increments, all in the caller's transaction. The same {@link #apply} also
 * rebuilds the rollups from the raw log (see {@link AnalyticsMaintenance}), so live figures and rebuilt ones agree.
 */
@Service
class AnalyticsRecorder implements Analytics {

    static final char HOUR = 'h';
    static final char DAY = 'd';
    /** What {@code \s} matches in a Java regular expression (without UNICODE_CHARACTER_CLASS). */
    private static final String ASCII_SPACE = " \t\n\013\f\r";
    /** Dropped from a question's end: spaces and end punctuation, Latin and CJK. */
    private static final String END_PUNCTUATION = ASCII_SPACE + "?!.。？！";
    private static final int MAX_KEY_CHARS = 500;

    private final EventStore store;
    private final AnalyticsProperties properties;
    private final Embedder embedder;

    AnalyticsRecorder(EventStore store, AnalyticsProperties properties, Embedder embedder) {
        this.store = store;
        this.properties = properties;
        this.embedder = embedder;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(List<InteractionEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Recorded> recorded = events.stream().map(e -> new Recorded(e, e.turn() == null ? 0
                : properties.costNanos(e.turn().provider(), e.turn().model(), e.turn().tokensIn(),
                        e.turn().tokensOut()))).toList();
        store.insertEvents(recorded);
        apply(recorded);
        store.insertGaps(gapsOf(events));
    }

    /** Questions without knowledge, with the embedding of what was searched (usually cached from the search). */
    private List<EventStore.NewGap> gapsOf(List<InteractionEvent> events) {
        List<EventStore.NewGap> gaps = new ArrayList<>();
        for (InteractionEvent e : events) {
            if (e.turn() != null && e.turn().gap() && e.turn().question() != null) {
                String searched = e.turn().retrievalQuery() == null ? e.turn().question() : e.turn().retrievalQuery();
                gaps.add(new EventStore.NewGap(e.id(), e.companyId(), e.agentId(), e.conversationId(), e.messageId(),
                        e.turn().question(), embedder.embedQuery(searched), e.at()));
            }
        }
        return gaps;
    }

    /** Adds the events (in the order they happened) to rollups, active users, questions and conversation states. */
    void apply(List<Recorded> events) {
        Map<BucketKey, long[]> rollups = new HashMap<>();
        Map<BucketKey, Set<UUID>> users = new HashMap<>();
        Map<String, QuestionDelta> questions = new HashMap<>();
        Map<UUID, ConversationState> started = new LinkedHashMap<>();
        Set<UUID> touchedConversations = new HashSet<>();
        Set<UUID> votedMessages = new HashSet<>();
        for (Recorded r : events) {
            InteractionEvent e = r.event();
            if (InteractionEvent.CONVERSATION_START.equals(e.type()) && e.conversationId() != null) {
                started.put(e.conversationId(), new ConversationState(e.conversationId(), e.companyId(),
                        e.agentId(), e.at(), false, 0));
            } else if (e.conversationId() != null && (InteractionEvent.TURN.equals(e.type()) && e.turn().handoff()
                    || "handoff_requested".equals(e.type()))) {
                touchedConversations.add(e.conversationId());
            }
            if (InteractionEvent.FEEDBACK.equals(e.type()) && e.messageId() != null && e.score() != null) {
                votedMessages.add(e.messageId());
                if (e.conversationId() != null) {
                    touchedConversations.add(e.conversationId());
                }
            }
        }
        store.insertConversations(started.values());
        Map<UUID, Vote> votes = votedMessages.isEmpty() ? new HashMap<>() : store.latestVotes(votedMessages);
        Map<UUID, Vote> changedVotes = new HashMap<>();
        touchedConversations.remove(null);
        Map<UUID, ConversationState> states = touchedConversations.isEmpty() ? new HashMap<>()
                : store.lockConversations(touchedConversations);

        for (Recorded r : events) {
            InteractionEvent e = r.event();
            switch (e.type()) {
                case InteractionEvent.CONVERSATION_START -> add(rollups, e, e.at(), Counters.CONVERSATIONS, 1);
                case InteractionEvent.TURN -> addTurn(rollups, users, questions, r, states);
                case InteractionEvent.FEEDBACK -> addVote(rollups, e, votes, changedVotes, states);
                case "widget_open" -> add(rollups, e, e.at(), Counters.WIDGET_OPENS, 1);
                case "link_clicked" -> add(rollups, e, e.at(), Counters.LINK_CLICKS, 1);
                case "conversation_end" -> add(rollups, e, e.at(), Counters.CONVERSATIONS_ENDED, 1);
                case "handoff_requested" -> {
                    add(rollups, e, e.at(), Counters.HANDOFF_REQUESTS, 1);
                    ConversationState state = states.get(e.conversationId());
                    if (state != null) {
                        state.handoff = true;
                    }
                }
                default -> {
                    // other widget events (widget_close, message_sent) are kept raw only
                }
            }
        }
        for (ConversationState state : states.values()) {
            if (state.unresolved() != state.unresolvedBefore) {
                // counted in the hour the conversation started, like the conversation itself
                add(rollups, state.companyId, state.agentId, state.startedAt, Counters.UNRESOLVED,
                        state.unresolved() ? 1 : -1);
            }
        }
        addUsers(rollups, users);
        store.upsertRollups(rollups);
        store.upsertQuestions(questions.values());
        store.updateConversations(states.values());
        store.saveVotes(changedVotes.values());
    }

    /** Adds the end-users to their buckets' sets; those new to a bucket count in its rollup row. */
    private void addUsers(Map<BucketKey, long[]> rollups, Map<BucketKey, Set<UUID>> users) {
        if (users.isEmpty()) {
            return;
        }
        Set<UUID> all = new HashSet<>();
        users.values().forEach(all::addAll);
        Map<UUID, Integer> ordinals = store.ordinals(all);
        Map<BucketKey, RoaringBitmap> additions = new HashMap<>();
        users.forEach((key, ids) -> {
            RoaringBitmap bitmap = new RoaringBitmap();
            ids.forEach(id -> bitmap.add(ordinals.get(id)));
            additions.put(key, bitmap);
        });
        store.addToUserSets(additions).forEach((key, fresh) -> {
            if (fresh > 0) {
                rollups.computeIfAbsent(key, k -> new long[Counters.SIZE])[Counters.END_USERS] += fresh;
            }
        });
    }

    private void addTurn(Map<BucketKey, long[]> rollups, Map<BucketKey, Set<UUID>> users,
            Map<String, QuestionDelta> questions, Recorded r, Map<UUID, ConversationState> states) {
        InteractionEvent e = r.event();
        InteractionEvent.Turn t = e.turn();
        for (char grain : new char[] {HOUR, DAY}) {
            long[] c = delta(rollups, grain, e.companyId(), e.agentId(), e.at());
            c[Counters.MESSAGES]++;
            c[Counters.ANSWERED] += t.grounded() ? 1 : 0;
            c[Counters.GAPS] += t.gap() ? 1 : 0;
            c[Counters.HANDOFFS] += t.handoff() ? 1 : 0;
            c[Counters.FALLBACKS] += t.fallback() ? 1 : 0;
            c[Counters.CANCELLED] += t.cancelled() ? 1 : 0;
            c[Counters.TOKENS_IN] += t.tokensIn();
            c[Counters.TOKENS_OUT] += t.tokensOut();
            c[Counters.COST_NANOS] += r.costNanos();
            c[Counters.LATENCY_SUM_MS] += t.latencyMs();
            c[Counters.FIRST_LATENCY_BUCKET + LatencyBuckets.bucketOf(t.latencyMs())]++;
            if (e.endUserId() != null) {
                users.computeIfAbsent(new BucketKey(grain, bucket(grain, e.at()), e.companyId(), e.agentId()),
                        k -> new HashSet<>()).add(e.endUserId());
            }
        }
        if (t.handoff() && e.conversationId() != null) {
            ConversationState state = states.get(e.conversationId());
            if (state != null) {
                state.handoff = true;
            }
        }
        String key = questionKey(t.question());
        if (!key.isEmpty()) {
            Instant day = bucket(DAY, e.at());
            QuestionDelta previous = questions.get(e.agentId() + "|" + day + "|" + key);
            questions.put(e.agentId() + "|" + day + "|" + key, new QuestionDelta(day, e.companyId(), e.agentId(), key,
                    previous == null ? t.question().strip() : previous.question(),
                    (previous == null ? 0 : previous.asked()) + 1,
                    (previous == null ? 0 : previous.answered()) + (t.grounded() ? 1 : 0)));
        }
    }

    /** A vote replaces the voter's earlier vote on the same answer: that one is taken back where it was counted. */
    private void addVote(Map<BucketKey, long[]> rollups, InteractionEvent e, Map<UUID, Vote> votes,
            Map<UUID, Vote> changedVotes, Map<UUID, ConversationState> states) {
        if (e.score() == null || e.messageId() == null) {
            return;
        }
        Vote prior = votes.get(e.messageId());
        if (prior != null) {
            add(rollups, e.companyId(), e.agentId(), prior.at(),
                    prior.score() > 0 ? Counters.FEEDBACK_UP : Counters.FEEDBACK_DOWN, -1);
        }
        add(rollups, e, e.at(), e.score() > 0 ? Counters.FEEDBACK_UP : Counters.FEEDBACK_DOWN, 1);
        ConversationState state = e.conversationId() == null ? null : states.get(e.conversationId());
        if (state != null) {
            state.downVotes += (e.score() < 0 ? 1 : 0) - (prior != null && prior.score() < 0 ? 1 : 0);
        }
        Vote latest = new Vote(e.messageId(), e.companyId(), e.agentId(), e.id(), e.score(), e.at());
        votes.put(e.messageId(), latest);
        changedVotes.put(e.messageId(), latest);
    }

    private static void add(Map<BucketKey, long[]> rollups, InteractionEvent e, Instant at, int counter,
            long amount) {
        add(rollups, e.companyId(), e.agentId(), at, counter, amount);
    }

    private static void add(Map<BucketKey, long[]> rollups, UUID companyId, UUID agentId, Instant at, int counter,
            long amount) {
        delta(rollups, HOUR, companyId, agentId, at)[counter] += amount;
        delta(rollups, DAY, companyId, agentId, at)[counter] += amount;
    }

    private static long[] delta(Map<BucketKey, long[]> rollups, char grain, UUID companyId, UUID agentId,
            Instant at) {
        return rollups.computeIfAbsent(new BucketKey(grain, bucket(grain, at), companyId, agentId),
                k -> new long[Counters.SIZE]);
    }

    static Instant bucket(char grain, Instant at) {
        return at.truncatedTo(grain == HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }

    /** Questions that differ only in case, spacing or final punctuation count as one. */
    static String questionKey(String question) {
        if (question == null) {
            return "";
        }
        // in one pass what two regular expressions did (\s+ to one space, then [\s?!.。？！]+$ away), scanning every
        // position on every answer
        String stripped = question.strip();
        StringBuilder key = new StringBuilder(stripped.length());
        boolean pendingSpace = false;
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (ASCII_SPACE.indexOf(c) >= 0) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace) {
                key.append(' ');
                pendingSpace = false;
            }
            key.append(c);
        }
        int end = key.length();
        while (end > 0 && END_PUNCTUATION.indexOf(key.charAt(end - 1)) >= 0) {
            end--;
        }
        String lower = key.substring(0, end).toLowerCase(Locale.ROOT);
        return lower.length() <= MAX_KEY_CHARS ? lower : lower.substring(0, MAX_KEY_CHARS);
    }
}
