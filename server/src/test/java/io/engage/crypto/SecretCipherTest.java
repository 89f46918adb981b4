package io.engage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir
    Path dataDir;

    private final SecretCipher cipher = new SecretCipher(new byte[32]);

    @Test
    void sealsAndOpensWithTheSameContext() {
        String sealed = cipher.encrypt("sk-secret-value", "agent:1:llm-api-key");
        assertThat(sealed).startsWith("v1." + cipher.keyId() + ".").doesNotContain("sk-secret-value");
        assertThat(cipher.decrypt(sealed, "agent:1:llm-api-key")).isEqualTo("sk-secret-value");
        // a fresh IV every time
        assertThat(cipher.encrypt("sk-secret-value", "agent:1:llm-api-key")).isNotEqualTo(sealed);
    }

    @Test
    void refusesAnotherContextATamperedValueOrAnotherKey() {
        String sealed = cipher.encrypt("secret", "agent:1:llm-api-key");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "agent:2:llm-api-key")).isInstanceOf(IllegalStateException.class);
        int middle = sealed.length() - 10; // inside the ciphertext, clear of base64 padding bits
        char original = sealed.charAt(middle);
        String tampered = sealed.substring(0, middle) + (original == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);
        assertThatThrownBy(() -> cipher.decrypt(tampered, "agent:1:llm-api-key"))
                .isInstanceOf(IllegalStateException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> new SecretCipher(otherKey).decrypt(sealed, "agent:1:llm-api-key"))
                .hasMessageContaining("master key");
        assertThatThrownBy(() -> cipher.decrypt("plain", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void derivedKeysDifferByPurpose() {
        assertThat(cipher.derive("jwt")).hasSize(32).isNotEqualTo(cipher.derive("other"));
        assertThat(cipher.derive("jwt")).isEqualTo(new SecretCipher(new byte[32]).derive("jwt"));
    }

    @Test
    void generatesAPrivateKeyFileOnceAndReusesIt() throws Exception {
        SecretCipher first = new SecretCipher(new CryptoProperties(null, dataDir.toString()));
        Path keyFile = dataDir.resolve("master.key");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
        SecretCipher second = new SecretCipher(new CryptoProperties("", dataDir.toString()));
        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(second.decrypt(first.encrypt("x", "c"), "c")).isEqualTo("x");
    }

    @Test
    void configuredKeyWinsAndBadKeysFailClearly() {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(new SecretCipher(new CryptoProperties(configured, dataDir.toString())).keyId())
                .isEqualTo(cipher.keyId());
        assertThat(dataDir.resolve("master.key")).doesNotExist();
        assertThatThrownBy(() -> new SecretCipher(new CryptoProperties("c2hvcnQ=", dataDir.toString())))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretCipher(new CryptoProperties("!!!", dataDir.toString())))
                .hasMessageContaining("base64");
    }
}
