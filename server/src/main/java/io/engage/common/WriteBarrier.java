package io.engage.common;

/**
 * Implemented by writers that store asynchronously (in batches, off the request path): waits until everything they
 * accepted before the call is stored, so that a list read right after an action shows it (read-your-writes on this
 * node).
 */
public interface WriteBarrier {

    void awaitWritten();
}
