package io.engage.knowledge;

import java.util.List;

/**
 * Text under one heading path (e.g. ["Pricing", "Enterprise plan"]); paragraphs are whole text blocks (p, li, pre,
 * table rows, ...).
 *
 * @param headingPath the headings above this text, outermost first; empty for text before the first heading
 * @param paragraphs  the text blocks, each trimmed and non-empty
 */
record Section(List<String> headingPath, List<String> paragraphs) {

    Section {
        headingPath = List.copyOf(headingPath);
        paragraphs = List.copyOf(paragraphs);
    }
}
