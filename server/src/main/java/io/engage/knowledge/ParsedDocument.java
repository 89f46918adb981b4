package io.engage.knowledge;

import java.util.List;

/**
 * A document reduced to its structure: an optional title and sections in reading order.
 *
 * @param title    the document's title, or {@code null} when it has none
 * @param sections the text, grouped by heading path, in reading order
 */
record ParsedDocument(String title, List<Section> sections) {

    ParsedDocument {
        sections = List.copyOf(sections);
    }
}
