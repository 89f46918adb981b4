package io.engage.analytics;

import java.util.List;

/** Records interaction events; the caller's transaction stores them together with their rollups. */
public interface Analytics {

    /**
     * Stores the events and updates the rollups, inside the caller's transaction (so an answer and its analytics
     * are stored together or not at all). Called from background writers, never on a request thread.
     */
    void record(List<InteractionEvent> events);
}
