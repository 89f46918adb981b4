package io.engage.conversation;

import java.util.List;
import java.util.regex.Pattern;

/** Recognises an end-user asking for a person ("can I talk to a human?") in the languages the widget ships. */
final class HandoffIntent {

    private static final Pattern REQUEST = Pattern.compile(
            "\\b(talk|speak|chat|connect|transfer|put)\\b.{0,40}\\b(human|person|people|someone|somebody|"
                    + "representative|operator|agent|staff|support team)\\b"
                    + "|\\b(real|live|actual) (person|human|agent)\\b"
                    + "|\\bhuman (agent|support|being)\\b"
                    + "|\\bmit einem (menschen|mitarbeiter|berater)\\b"
                    + "|\\bparler (à|a) (un|une) (humain|personne|conseiller|agent)\\b"
                    + "|\\bhablar con (una persona|un humano|un agente|alguien)\\b"
                    + "|人工客服|转人工",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /**
     * Every match of {@link #REQUEST} contains one of these, case-folded as the pattern folds: a message with none of
     * them (nearly every question) is answered without running the pattern, whose case-insensitive scan of each
     * position was over a percent of a cached answer's CPU.
     */
    private static final List<String> CUES = List.of("talk", "speak", "chat", "connect", "transfer", "put", "real",
            "live", "actual", "human", "mit einem", "parler", "hablar", "人工");

    private HandoffIntent() {
    }

    static boolean requested(String message) {
        String folded = folded(message);
        for (String cue : CUES) {
            if (folded.contains(cue)) {
                return REQUEST.matcher(message).find();
            }
        }
        return false;
    }

    /** Each character folded as java.util.regex folds it for CASE_INSENSITIVE | UNICODE_CASE. */
    static String folded(String message) {
        char[] chars = message.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toLowerCase(Character.toUpperCase(chars[i]));
        }
        return new String(chars);
    }
}
