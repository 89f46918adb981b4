package io.engage.conversation;

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

    private HandoffIntent() {
    }

    static boolean requested(String message) {
        return REQUEST.matcher(message).find();
    }
}
