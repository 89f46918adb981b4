package io.engage.retrieval;

import org.apache.lucene.analysis.CharArraySet;

/**
 * English function words left out of keyword matching. Lucene's default English list is short (33 words) and keeps
 * the pronouns, auxiliaries and question words that fill visitors' questions ("how do I ...", "can you ..."); a match
 * on those says nothing about relevance.
 */
final class StopWords {

    static final CharArraySet ENGLISH = CharArraySet.unmodifiableSet(new CharArraySet(java.util.List.of(
            "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be",
            "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
            "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having",
            "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
            "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of",
            "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
            "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
            "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
            "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
            "would", "you", "your", "yours", "yourself", "yourselves"), true));

    private StopWords() {
    }
}
