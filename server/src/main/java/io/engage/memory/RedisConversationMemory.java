package io.engage.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    RedisConversationMemory(RedisLink redis, MemoryProperties properties, ObjectMapper json, SecretCipher cipher) {
        this.redis = redis;
        this.properties = properties;
        this.json = json;
        this.cipher = cipher;
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
            return MemoryCodec.newestWithin(MemoryCodec.decode(json, open(entries, key)), properties.maxChars());
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
        turns.forEach(turn -> args.add(cipher.encrypt(MemoryCodec.encode(json, turn), key)));
        try {
            connection.get().sync().eval(APPEND_SCRIPT, ScriptOutputType.INTEGER, new String[] {key},
                    args.toArray(String[]::new));
            redis.reportSuccess();
        } catch (RedisException e) {
            redis.reportFailure("memory append", e);
        }
    }

    /** The entries' JSON; entries that do not open (sealed under a key no longer configured) are dropped. */
    private List<String> open(List<String> entries, String key) {
        List<String> opened = new ArrayList<>(entries.size());
        for (String entry : entries) {
            try {
                opened.add(cipher.open(entry, key));
            } catch (IllegalStateException unreadable) {
                // memory is best effort: the turn is still in the transcript
            }
        }
        return opened;
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
