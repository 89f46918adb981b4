package io.engage.conversation;

import io.engage.crypto.ColumnResealer;
import io.engage.crypto.Resealable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Transcript text (message content, retrieval queries, feedback comments), for the re-encryption command. */
@Component
class SealedMessages implements Resealable {

    private final ColumnResealer resealer;

    SealedMessages(ColumnResealer resealer) {
        this.resealer = resealer;
    }

    @Override
    public Resealed resealAll() {
        Map<String, Long> rewritten = new LinkedHashMap<>();
        rewritten.put("messages.content",
                resealer.reseal("messages", "content", ConversationRepository::contentContext));
        rewritten.put("messages.retrieval_query",
                resealer.reseal("messages", "retrieval_query", ConversationRepository::retrievalQueryContext));
        rewritten.put("messages.feedback_comment",
                resealer.reseal("messages", "feedback_comment", ConversationRepository::feedbackCommentContext));
        return new Resealed(rewritten);
    }
}
