package io.engage.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.crypto.SecretCipher;
import io.engage.web.RedisLink;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Memory in Redis: one list per (agent, end-user). Appending, trimming and restarting the expiry run as one Lua
 * script, so concurrent turns and nodes never leave a list without its TTL. Entries are sealed (AES-256-GCM, bound
 * to their list's key) like transcripts in the database: Redis may persist to disk or be shared. They live a day,
 * so a rotated-out key only has to stay in ENGAGE_PREVIOUS_MASTER_KEYS that long; what cannot be opened is skipped.
 *
 * <p>An entry never changes once written, so each node keeps what it has opened (or sealed) of each list lately: a
 * conversation's history is read on every question, and opening and decoding twenty turns every time was a fifth of
 * the server's time per answer. The cache holds one small map per list (sealed text → turn), so an entry copied into
 * another visitor's list still has to open there (and does not), and each read replaces the map with the list's
 * current entries: turns trimmed off the list leave the cache with it. (A cache of single entries did not work out:
 * a turn is first read a moment after it is written, by then a busy node's newest entries had been refused by the
 * cache's frequency-based admission in favour of older ones that were read often but never would be again.)
 */
class RedisConversationMemory implements ConversationMemory {

    private static final String APPEND_SCRIPT = """
            for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
            redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
            return redis.call('LLEN', KEYS[1])""";
    private static final String APPEND_SCRIPT_SHA = sha1Hex(APPEND_SCRIPT);

    /** How long the opened entries of a list no one has asked about are kept. */
    private static final Duration IDLE_LIST = Duration.ofMinutes(30);

    private final RedisLink redis;
    private final MemoryProperties properties;
    private final ObjectMapper json;
    private final SecretCipher cipher;
    /** Per list key: its entries as last seen by this node, sealed text → turn (unmodifiable). */
    private final Cache<String, Map<String, MemoryTurn>> openedLists;

    RedisConversationMemory(RedisLink redis, MemoryProperties properties, ObjectMapper json, SecretCipher cipher) {
        this.redis = redis;
        this.properties = properties;
        this.json = json;
        this.cipher = cipher;
        this.openedLists = Caffeine.newBuilder()
                .maximumWeight(properties.openedCacheChars())
                .weigher((String listKey, Map<String, MemoryTurn> entries) -> weight(entries))
                // a visitor who has gone quiet makes room; coming back costs opening their list once
                .expireAfterAccess(IDLE_LIST)
                .build();
    }

    @Override
    public List<MemoryTurn> recall(UUID agentId, String endUserId) {
        Optional<StatefulRedisConnection<String, String>> connection = redis.strings();
        if (connection.isEmpty()) {
            return List.of();
        }
        try {
            String key = MemoryCodec.key(agentId, endUserId);
            List<String> entries = connection.get().sync().lrange(key, 0, -1);
            redis.reportSuccess();
            return MemoryCodec.newestWithin(open(entries, key), properties.maxChars());
        } catch (RedisException e) {
            redis.reportFailure("memory recall", e);
            return List.of();
        }
    }

    @Override
    public void append(UUID agentId, String endUserId, List<MemoryTurn> turns) {
        Optional<StatefulRedisConnection<String, String>> connection = redis.strings();
        if (connection.isEmpty() || turns.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(properties.maxTurns()));
        args.add(Long.toString(properties.ttl().toSeconds()));
        String key = MemoryCodec.key(agentId, endUserId);
        Map<String, MemoryTurn> sealedTurns = new LinkedHashMap<>();
        for (MemoryTurn turn : turns) {
            String sealed = cipher.encrypt(MemoryCodec.encode(json, turn), key);
            args.add(sealed);
            sealedTurns.put(sealed, turn);
        }
        // the next question reads these back: known already, they need not be opened
        openedLists.asMap().merge(key, Map.copyOf(sealedTurns), RedisConversationMemory::union);
        try {
            RedisCommands<String, String> commands = connection.get().sync();
            String[] keys = {key};
            String[] values = args.toArray(String[]::new);
            try {
                // by digest: Redis need not receive and hash the script's text on every turn
                commands.evalsha(APPEND_SCRIPT_SHA, ScriptOutputType.INTEGER, keys, values);
            } catch (RedisNoScriptException notLoadedYet) {
                // a fresh (or flushed) Redis: EVAL runs it and keeps it for the next EVALSHA
                commands.eval(APPEND_SCRIPT, ScriptOutputType.INTEGER, keys, values);
            }
            redis.reportSuccess();
        } catch (RedisException e) {
            redis.reportFailure("memory append", e);
        }
    }

    /**
     * The entries' turns; entries that do not open (sealed under a key no longer configured) are dropped. What the list
     * holds now becomes its cached map (a turn appended meanwhile by another request is simply opened next time).
     */
    private List<MemoryTurn> open(List<String> entries, String key) {
        Map<String, MemoryTurn> known = openedLists.getIfPresent(key);
        Map<String, MemoryTurn> current = new HashMap<>(entries.size() * 2);
        List<MemoryTurn> turns = new ArrayList<>(entries.size());
        boolean changed = known == null || known.size() != entries.size();
        for (String entry : entries) {
            MemoryTurn turn = known == null ? null : known.get(entry);
            if (turn == null) {
                changed = true;
                turn = openEntry(entry, key);
                if (turn == null) {
                    continue;
                }
            }
            turns.add(turn);
            current.put(entry, turn);
        }
        if (changed) {
            openedLists.put(key, Map.copyOf(current));
        }
        return turns;
    }

    private MemoryTurn openEntry(String entry, String key) {
        try {
            return MemoryCodec.decode(json, cipher.open(entry, key)).orElse(null);
        } catch (IllegalStateException unreadable) {
            // memory is best effort: the turn is still in the transcript
            return null;
        }
    }

    private static Map<String, MemoryTurn> union(Map<String, MemoryTurn> cached, Map<String, MemoryTurn> added) {
        Map<String, MemoryTurn> both = new HashMap<>(cached);
        both.putAll(added);
        return Map.copyOf(both);
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int weight(Map<String, MemoryTurn> entries) {
        long chars = 0;
        for (Map.Entry<String, MemoryTurn> entry : entries.entrySet()) {
            chars += entry.getKey().length() + entry.getValue().text().length();
        }
        return (int) Math.min(Integer.MAX_VALUE, chars);
    }

    @Override
    public void forgetAgent(UUID agentId) {
        Optional<StatefulRedisConnection<String, String>> connection = redis.strings();
        if (connection.isEmpty()) {
            return;
        }
        try {
            RedisCommands<String, String> commands = connection.get().sync();
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
