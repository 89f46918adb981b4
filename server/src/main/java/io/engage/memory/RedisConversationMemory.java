package io.engage.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engage.crypto.SecretCipher;
import io.engage.web.RedisLink;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Memory in Redis: one list per (agent, end-user). Appending, trimming and restarting the expiry run as one Lua
 * script, so concurrent turns and nodes never leave a list without its TTL. Entries are sealed (AES-256-GCM, bound
 * to their list's key) like transcripts in the database: Redis may persist to disk or be shared. They live a day,
 * so a rotated-out key only has to stay in ENGAGE_PREVIOUS_MASTER_KEYS that long; what cannot be opened is skipped.
 *
 * <p>An entry never changes once written, so each node keeps the entries it has opened (or sealed) lately: a
 * conversation's history is read on every question, and opening and decoding twenty turns every time was a fifth of
 * the server's time per answer. The cache is keyed by the sealed text and remembers the list it was opened for, so
 * an entry copied into another visitor's list still has to open there (and does not).
 */
class RedisConversationMemory implements ConversationMemory {

    private static final String APPEND_SCRIPT = """
            for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
            redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
            return redis.call('LLEN', KEYS[1])""";

    private final RedisLink redis;
    private final MemoryProperties properties;
    private final ObjectMapper json;
    private final SecretCipher cipher;
    private final Cache<String, Opened> opened;

    /** A sealed entry's turn, and the list it belongs to. */
    private record Opened(String listKey, MemoryTurn turn) {
    }

    RedisConversationMemory(RedisLink redis, MemoryProperties properties, ObjectMapper json, SecretCipher cipher) {
        this.redis = redis;
        this.properties = properties;
        this.json = json;
        this.cipher = cipher;
        this.opened = Caffeine.newBuilder()
                .maximumWeight(properties.openedCacheChars())
                .weigher((String sealed, Opened entry) -> sealed.length() + entry.turn().text().length())
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
        for (MemoryTurn turn : turns) {
            String sealed = cipher.encrypt(MemoryCodec.encode(json, turn), key);
            args.add(sealed);
            opened.put(sealed, new Opened(key, turn));
        }
        try {
            connection.get().sync().eval(APPEND_SCRIPT, ScriptOutputType.INTEGER, new String[] {key},
                    args.toArray(String[]::new));
            redis.reportSuccess();
        } catch (RedisException e) {
            redis.reportFailure("memory append", e);
        }
    }

    /** The entries' turns; entries that do not open (sealed under a key no longer configured) are dropped. */
    private List<MemoryTurn> open(List<String> entries, String key) {
        List<MemoryTurn> turns = new ArrayList<>(entries.size());
        for (String entry : entries) {
            Opened known = opened.getIfPresent(entry);
            if (known != null && known.listKey().equals(key)) {
                turns.add(known.turn());
                continue;
            }
            try {
                MemoryCodec.decode(json, cipher.open(entry, key)).ifPresent(turn -> {
                    turns.add(turn);
                    opened.put(entry, new Opened(key, turn));
                });
            } catch (IllegalStateException unreadable) {
                // memory is best effort: the turn is still in the transcript
            }
        }
        return turns;
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
