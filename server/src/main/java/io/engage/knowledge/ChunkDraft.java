package io.engage.knowledge;

import java.util.List;

/**
 * One piece of text to embed and index.
 *
 * @param ordinal     position in the document, 0..n-1
 * @param text        the chunk's text, trimmed and non-empty
 * @param headingPath the heading path of the section the chunk comes from
 */
record ChunkDraft(int ordinal, String text, List<String> headingPath) {

    ChunkDraft {
        headingPath = List.copyOf(headingPath);
    }
}
