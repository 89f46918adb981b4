package io.engage.conversation;

import java.util.UUID;

/** A knowledge passage an answer relies on. */
record Citation(UUID sourceId, String title, String url, String snippet) {
}
