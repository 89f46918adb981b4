package io.engage.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
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

    /** Decodes entries, skipping any that are not turns (written by a future version, say). */
    static List<MemoryTurn> decode(ObjectMapper json, List<String> entries) {
        List<MemoryTurn> turns = new ArrayList<>(entries.size());
        for (String entry : entries) {
            try {
                turns.add(json.readValue(entry, MemoryTurn.class));
            } catch (JsonProcessingException e) {
                // skip: memory is best effort
            }
        }
        return turns;
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
