package io.engage.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.crypto.SecretCipher;
import io.engage.web.RedisLink;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Memory in Redis: one list per (agent, end-user). Appending, trimming and restarting the expiry run as one Lua
 * script, so concurrent turns and nodes never leave a list without its TTL. Entries are sealed (AES-256-GCM, bound
 * to their list's key) like transcripts in the database: Redis may persist to disk or be shared. They live a day,
 * so a rotated-out key only has to stay in ENGAGE_PREVIOUS_MASTER_KEYS that long; what cannot be opened is skipped.
 *
 * <p>An entry never changes once written, so each node keeps what it knows of each list lately: its entries in
 * order, each with its opened turn. A conversation's history is read on every question, and opening and decoding
 * twenty turns every time was a fifth of the server's time per answer; reading them from Redis (some 15 KB) and
 * matching them against the cache was still a tenth. Every entry is unique (a random IV each), and a list only ever
 * changes by an append, which moves its last entry, or by expiring or being deleted, which empties it. So a list's
 * last entry names its whole content: a recall sends the last entry this node knows, and Redis answers "unchanged"
 * or, when the list has moved on, the whole list, of which only new entries are opened. An append learns the list's
 * last entry before it, so the writing node knows the new list without reading it, unless another turn came in
 * between. Entries are looked up only in their own list's cache, so an entry copied into another visitor's list
 * still has to open there (and does not).
 */
class RedisConversationMemory implements ConversationMemory {

    /**
     * Answers {1} when the list's last entry is ARGV[1] (unchanged), else {0, every entry of the list}. ARGV[1] is ""
     * when this node knows no entry: no entry is empty, and a missing list's LINDEX is false.
     */
    private static final String RECALL_SCRIPT = """
            if redis.call('LINDEX', KEYS[1], -1) == ARGV[1] then return {1} end
            local entries = redis.call('LRANGE', KEYS[1], 0, -1)
            table.insert(entries, 1, 0)
            return entries""";
    /** Appends ARGV[3..], keeps the newest ARGV[1] entries, expires in ARGV[2] s; answers the last entry before. */
    private static final String APPEND_SCRIPT = """
            local before = redis.call('LINDEX', KEYS[1], -1)
            for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
            redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
            return before""";
    private static final Long UNCHANGED = 1L;
    private static final Script RECALL = new Script(RECALL_SCRIPT, ScriptOutputType.MULTI);
    private static final Script APPEND = new Script(APPEND_SCRIPT, ScriptOutputType.VALUE);

    /** How long the lists no one has asked about are kept. */
    private static final Duration IDLE_LIST = Duration.ofMinutes(30);

    /** A Lua script and its digest, run by EVALSHA so that Redis need not receive and hash its text every time. */
    private record Script(String text, ScriptOutputType output, String sha) {
        Script(String text, ScriptOutputType output) {
            this(text, output, sha1Hex(text));
        }

        <T> T run(RedisLink.Commands<String> connection, String key, String... args) {
            return await(connection, start(connection.async(), key, args), key, args);
        }

        /** Sends the script without waiting; {@link #await} takes the answer. */
        <T> RedisFuture<T> start(RedisClusterAsyncCommands<String, String> commands, String key, String... args) {
            return commands.evalsha(sha, output, new String[] {key}, args);
        }

        <T> T await(RedisLink.Commands<String> connection, RedisFuture<T> started, String key,
                String... args) {
            try {
                return LettuceFutures.awaitOrCancel(started, connection.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RedisNoScriptException notLoadedYet) {
                return connection.sync().eval(text, output, new String[] {key}, args);
            }
        }
    }

    /**
     * One entry of a list: its sealed text and its turn, null when it does not open; {@code chars} (both texts) is
     * counted once, while the texts are fresh, for the cache's weight.
     */
    private record Entry(String sealed, MemoryTurn turn, int chars) {

        Entry(String sealed, MemoryTurn turn) {
            this(sealed, turn, sealed.length() + (turn == null ? 0 : turn.text().length()));
        }
    }

    /**
     * A list as this node knows it: all its entries, oldest first. {@code current}: they are the whole list as long
     * as its last entry is the last of these; otherwise they serve only to spare opening entries again. The turns
     * that opened and the weight are kept with it and carried over from one append to the next: recounting them
     * reads every entry's texts, scattered over the heap, on every question.
     */
    private record KnownList(List<Entry> entries, boolean current, List<MemoryTurn> turns, int weight) {

        static KnownList of(List<Entry> entries, boolean current) {
            List<MemoryTurn> turns = new ArrayList<>(entries.size());
            long chars = 0;
            for (Entry entry : entries) {
                if (entry.turn() != null) {
                    turns.add(entry.turn());
                }
                chars += entry.chars();
            }
            return new KnownList(List.copyOf(entries), current, List.copyOf(turns), saturated(chars));
        }

        String tail() {
            return entries.isEmpty() ? null : entries.get(entries.size() - 1).sealed();
        }

        /** These entries and then {@code added}, the oldest dropped beyond {@code maxTurns}. */
        KnownList then(List<Entry> added, boolean current, int maxTurns) {
            int total = entries.size() + added.size();
            int dropped = Math.max(0, total - maxTurns);
            int droppedHere = Math.min(dropped, entries.size());
            long chars = weight;
            int droppedTurns = 0;
            for (Entry gone : entries.subList(0, droppedHere)) {
                chars -= gone.chars();
                droppedTurns += gone.turn() == null ? 0 : 1;
            }
            List<Entry> kept = new ArrayList<>(total - dropped);
            kept.addAll(entries.subList(droppedHere, entries.size()));
            List<MemoryTurn> keptTurns = new ArrayList<>(turns.subList(droppedTurns, turns.size()));
            for (Entry entry : added.subList(dropped - droppedHere, added.size())) {
                kept.add(entry);
                chars += entry.chars();
                if (entry.turn() != null) {
                    keptTurns.add(entry.turn());
                }
            }
            return new KnownList(List.copyOf(kept), current, List.copyOf(keptTurns), saturated(chars));
        }

        private static int saturated(long chars) {
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, chars));
        }
    }

    private static final KnownList NONE_KNOWN = new KnownList(List.of(), true, List.of(), 0);

    private final RedisLink redis;
    private final MemoryProperties properties;
    private final ObjectMapper json;
    private final SecretCipher cipher;
    /** Per list key: the list as this node last knew it. */
    private final Cache<String, KnownList> knownLists;

    RedisConversationMemory(RedisLink redis, MemoryProperties properties, ObjectMapper json, SecretCipher cipher) {
        this.redis = redis;
        this.properties = properties;
        this.json = json;
        this.cipher = cipher;
        this.knownLists = Caffeine.newBuilder()
                .maximumWeight(properties.openedCacheChars())
                .weigher((String listKey, KnownList list) -> list.weight())
                // a visitor who has gone quiet makes room; coming back costs reading their list once
                .expireAfterAccess(IDLE_LIST)
                .build();
    }

    @Override
    public List<MemoryTurn> recall(UUID agentId, String endUserId) {
        return startRecall(agentId, endUserId).turns();
    }

    @Override
    public Recall startRecall(UUID agentId, String endUserId) {
        Optional<RedisLink.Commands<String>> connection = redis.strings();
        if (connection.isEmpty()) {
            return List::of;
        }
        String key = MemoryCodec.key(agentId, endUserId);
        KnownList known = knownLists.getIfPresent(key);
        String tail = known != null && known.current() && known.tail() != null ? known.tail() : "";
        RedisFuture<List<Object>> started;
        try {
            started = RECALL.start(connection.get().async(), key, tail);
        } catch (RedisException e) {
            redis.reportFailure("memory recall", e);
            return List::of;
        }
        return () -> recalled(connection.get(), key, known, tail, started);
    }

    /** Redis's answer to a recall sent with the last entry of {@code known} (or "" for none). */
    private List<MemoryTurn> recalled(RedisLink.Commands<String> connection, String key,
            KnownList known, String tail, RedisFuture<List<Object>> started) {
        try {
            List<Object> answer = RECALL.await(connection, started, key, tail);
            redis.reportSuccess();
            KnownList list;
            if (UNCHANGED.equals(answer.get(0))) {
                list = known;
            } else {
                list = read(answer.subList(1, answer.size()), known, key);
                knownLists.put(key, list);
            }
            return MemoryCodec.newestWithin(list.turns(), properties.maxChars());
        } catch (RedisException e) {
            redis.reportFailure("memory recall", e);
            return List.of();
        }
    }

    @Override
    public void append(UUID agentId, String endUserId, List<MemoryTurn> turns) {
        Optional<RedisLink.Commands<String>> connection = redis.strings();
        if (connection.isEmpty() || turns.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(properties.maxTurns()));
        args.add(Long.toString(properties.ttl().toSeconds()));
        String key = MemoryCodec.key(agentId, endUserId);
        List<Entry> added = new ArrayList<>(turns.size());
        for (MemoryTurn turn : turns) {
            String sealed = cipher.encrypt(MemoryCodec.encode(json, turn), key);
            args.add(sealed);
            added.add(new Entry(sealed, turn));
        }
        try {
            String before = APPEND.run(connection.get(), key, args.toArray(String[]::new));
            redis.reportSuccess();
            // the next question reads these back: known already, they need not be opened
            knownLists.asMap().compute(key, (k, known) -> appended(known, before, added));
        } catch (RedisException e) {
            redis.reportFailure("memory append", e);
        }
    }

    /**
     * The list after this node's append: known whole when this node knew the list exactly as it was before it (its
     * last entry then was {@code before}); otherwise another turn came in between, and the next recall reads the
     * list (opening only what this node has not seen).
     */
    private KnownList appended(KnownList known, String before, List<Entry> added) {
        boolean whole = known == null ? before == null : known.current() && Objects.equals(before, known.tail());
        KnownList base = known != null && (whole || before != null) ? known : NONE_KNOWN;
        return base.then(added, whole, properties.maxTurns());
    }

    /** The list as Redis answered it; entries this node knows of this list are not opened again. */
    private KnownList read(List<?> answered, KnownList known, String key) {
        Map<String, MemoryTurn> opened = new HashMap<>();
        if (known != null) {
            for (Entry entry : known.entries()) {
                opened.put(entry.sealed(), entry.turn());
            }
        }
        List<Entry> entries = new ArrayList<>(answered.size());
        for (Object item : answered) {
            String sealed = (String) item;
            MemoryTurn turn = opened.containsKey(sealed) ? opened.get(sealed) : openEntry(sealed, key);
            entries.add(new Entry(sealed, turn));
        }
        return KnownList.of(entries, true);
    }

    private MemoryTurn openEntry(String entry, String key) {
        try {
            return MemoryCodec.decode(json, cipher.open(entry, key)).orElse(null);
        } catch (IllegalStateException unreadable) {
            // memory is best effort: the turn is still in the transcript
            return null;
        }
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void forgetAgent(UUID agentId) {
        Optional<RedisLink.Commands<String>> connection = redis.strings();
        if (connection.isEmpty()) {
            return;
        }
        try {
            RedisClusterCommands<String, String> commands = connection.get().sync();
            ScanArgs match = ScanArgs.Builder.matches(MemoryCodec.agentPrefix(agentId) + "*").limit(500);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                var page = commands.scan(cursor, match);
                if (!page.getKeys().isEmpty()) {
                    commands.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } catch (RedisException e) {
            // the keys expire by themselves within a day
            redis.reportFailure("memory cleanup", e);
        }
    }

    @Override
    public Duration ttl() {
        return properties.ttl();
    }

    @Override
    public String backend() {
        return "redis";
    }
}
