package io.engage.crypto;

/**
 * Implemented by each module that stores sealed values: the {@code reencrypt} command calls every one after a master
 * key rotation (or after an upgrade from plain-text columns) to re-seal its values under the current key.
 */
public interface Resealable {

    /** Re-seals this module's legacy plain-text values and those sealed under a previous key; safe while serving. */
    Resealed resealAll();

    /** What one module re-sealed: rewritten values per table column, e.g. {@code messages.content → 1200}. */
    record Resealed(java.util.Map<String, Long> rewritten) {
    }
}
