package io.engage.crypto;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code engage.master-key}: base64 of 32 random bytes; {@code engage.previous-master-keys}: keys being rotated out
 * (still read, never written); {@code engage.data-dir}: where a generated key is kept.
 */
@ConfigurationProperties(prefix = "engage")
record CryptoProperties(String masterKey, List<String> previousMasterKeys, String dataDir) {

    @ConstructorBinding
    CryptoProperties {
        previousMasterKeys = previousMasterKeys == null ? List.of()
                : previousMasterKeys.stream().filter(k -> k != null && !k.isBlank()).map(String::trim).toList();
    }

    CryptoProperties(String masterKey, String dataDir) {
        this(masterKey, List.of(), dataDir);
    }
}
