package io.engage.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Turns as JSON strings (Redis list entries), and the bounds applied on recall. */
final class MemoryCodec {

    private MemoryCodec() {
    }

    static String key(UUID agentId, String endUserId) {
        return agentPrefix(agentId) + endUserId;
    }

    /** What every memory key of the agent starts with. */
    static String agentPrefix(UUID agentId) {
        return "engage:memory:" + agentId + ":";
    }

    static String encode(ObjectMapper json, MemoryTurn turn) {
        try {
            return json.writeValueAsString(turn);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes an entry; empty when it is not a turn (written by a future version, say): memory is best effort. */
    static Optional<MemoryTurn> decode(ObjectMapper json, String entry) {
        try {
            return Optional.of(json.readValue(entry, MemoryTurn.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The newest turns that fit in {@code maxChars}, oldest first. */
    static List<MemoryTurn> newestWithin(List<MemoryTurn> turns, int maxChars) {
        int used = 0;
        int from = turns.size();
        while (from > 0) {
            int length = turns.get(from - 1).text().length();
            if (used + length > maxChars) {
                break;
            }
            used += length;
            from--;
        }
        return List.copyOf(turns.subList(from, turns.size()));
    }
}
