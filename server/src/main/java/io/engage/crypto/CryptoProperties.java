package io.engage.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code engage.master-key}: base64 of 32 random bytes; {@code engage.data-dir}: where a generated key is kept. */
@ConfigurationProperties(prefix = "engage")
record CryptoProperties(String masterKey, String dataDir) {
}
