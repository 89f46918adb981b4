/**
 * Secrets at rest: AES-256-GCM under the platform master key ({@code ENGAGE_MASTER_KEY}, or a key generated once
 * into the data directory with mode 0600), and purpose-bound keys derived from it (e.g. the JWT signing key).
 * Public face: {@link io.engage.crypto.SecretCipher}.
 */
package io.engage.crypto;
