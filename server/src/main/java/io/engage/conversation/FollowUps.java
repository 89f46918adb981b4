package io.engage.conversation;

import io.engage.memory.MemoryTurn;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites a follow-up question into a self-contained retrieval query using the conversation so far: "and how much
 * is it?" after "Do you sell the DS-3 drone?" searches for both. A rule-based rewrite costs no model call, so it
 * also works with the extractive responder; it only changes what is searched, never what the user said.
 */
final class FollowUps {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Set<String> REFERRING = Set.of("it", "its", "it's", "that", "this", "those", "these",
            "they", "them", "their", "there", "one", "ones", "he", "she", "him", "her", "same", "else");
    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "and", "or", "but", "so", "what",
            "how", "why", "when", "where", "who", "which", "is", "are", "was", "were", "do", "does", "did", "can",
            "could", "would", "should", "will", "much", "many", "about", "of", "to", "for", "in", "on", "with", "i",
            "you", "me", "my", "your", "we", "our", "be", "any", "some", "also", "too", "then", "ok", "okay",
            "please", "thanks", "yes", "no");
    private static final List<String> CONTINUATIONS = List.of("and ", "what about", "how about", "also ", "but ",
            "or ", "then ", "ok ", "okay ");

    private FollowUps() {
    }

    /** The query to search for: the message itself, or the previous question plus the message. */
    static String retrievalQuery(String message, List<MemoryTurn> history) {
        String previousQuestion = null;
        for (int i = history.size() - 1; i >= 0; i--) {
            if (MemoryTurn.USER.equals(history.get(i).role())) {
                previousQuestion = history.get(i).text();
                break;
            }
        }
        if (previousQuestion == null || !isFollowUp(message)) {
            return message;
        }
        return previousQuestion + " " + message;
    }

    static boolean isFollowUp(String message) {
        String lower = message.trim().toLowerCase(Locale.ROOT);
        if (CONTINUATIONS.stream().anyMatch(lower::startsWith)) {
            return true;
        }
        int contentWords = 0;
        var words = WORD.matcher(lower);
        while (words.find()) {
            String word = words.group();
            if (REFERRING.contains(word)) {
                return true;
            }
            if (!FUNCTION_WORDS.contains(word)) {
                contentWords++;
            }
        }
        // "price?" / "how much?": too little to search for on its own
        return contentWords <= 1;
    }
}
