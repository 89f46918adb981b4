package io.engage.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
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
    void aRefusedValueLeavesTheThreadsCipherUsableAndEverySealHasItsOwnIv() {
        String sealed = cipher.encrypt("secret", "memory:a");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "memory:b")).isInstanceOf(IllegalStateException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        SecretCipher other = new SecretCipher(otherKey);
        assertThatThrownBy(() -> other.decrypt(sealed, "memory:a")).isInstanceOf(IllegalStateException.class);
        // the same thread's cipher, initialised afresh: opens and seals as before, a new IV per value
        assertThat(cipher.decrypt(sealed, "memory:a")).isEqualTo("secret");
        String again = cipher.encrypt("secret", "memory:a");
        assertThat(again).isNotEqualTo(sealed);
        assertThat(cipher.decrypt(again, "memory:a")).isEqualTo("secret");
        assertThat(other.decrypt(other.encrypt("secret", "memory:a"), "memory:a")).isEqualTo("secret");
    }

    @Test
    void afterARotationValuesSealedUnderThePreviousKeyStillOpenAndAreMarkedForResealing() {
        byte[] oldKey = new byte[32];
        byte[] newKey = new byte[32];
        newKey[0] = 7;
        SecretCipher before = new SecretCipher(oldKey);
        String sealedBefore = before.encrypt("the customer's question", "message:1");

        SecretCipher rotated = new SecretCipher(newKey, List.of(oldKey));
        assertThat(rotated.keyId()).isNotEqualTo(before.keyId());
        assertThat(rotated.keyIds()).containsExactly(rotated.keyId(), before.keyId());
        assertThat(rotated.decrypt(sealedBefore, "message:1")).isEqualTo("the customer's question");
        assertThat(rotated.needsResealing(sealedBefore)).isTrue();

        String resealed = rotated.reseal(sealedBefore, "message:1");
        assertThat(resealed).startsWith("v1." + rotated.keyId() + ".");
        assertThat(rotated.needsResealing(resealed)).isFalse();
        assertThat(new SecretCipher(newKey).decrypt(resealed, "message:1")).isEqualTo("the customer's question");
        // once the previous key is dropped, what it sealed cannot be read: the error names both key ids
        assertThatThrownBy(() -> new SecretCipher(newKey).decrypt(sealedBefore, "message:1"))
                .hasMessageContaining(before.keyId()).hasMessageContaining(rotated.keyId());
    }

    @Test
    void legacyPlainTextOpensAsItIsAndIsMarkedForSealing() {
        assertThat(SecretCipher.isSealed("How do I reset my password?")).isFalse();
        assertThat(SecretCipher.isSealed("v1.0badc0de.short")).isFalse();
        assertThat(cipher.open("How do I reset my password?", "message:1")).isEqualTo("How do I reset my password?");
        assertThat(cipher.open(null, "message:1")).isNull();
        assertThat(cipher.seal(null, "message:1")).isNull();
        assertThat(cipher.needsResealing("How do I reset my password?")).isTrue();
        assertThat(cipher.needsResealing(null)).isFalse();
        String sealed = cipher.reseal("How do I reset my password?", "message:1");
        assertThat(SecretCipher.isSealed(sealed)).isTrue();
        assertThat(cipher.open(sealed, "message:1")).isEqualTo("How do I reset my password?");
    }

    @Test
    void blindIndexesAreStablePerKeyAndPurposeAndRevealNothing() {
        String index = cipher.blindIndex("question", "refund policy");
        assertThat(index).hasSize(64).doesNotContain("refund")
                .isEqualTo(new SecretCipher(new byte[32]).blindIndex("question", "refund policy"));
        assertThat(cipher.blindIndex("question", "refund policy!")).isNotEqualTo(index);
        assertThat(cipher.blindIndex("other", "refund policy")).isNotEqualTo(index);
        byte[] otherKey = new byte[32];
        otherKey[1] = 3;
        assertThat(new SecretCipher(otherKey).blindIndex("question", "refund policy")).isNotEqualTo(index);
    }

    @Test
    void previousKeysAreReadFromTheProperties() {
        byte[] oldKey = new byte[32];
        oldKey[5] = 9;
        String oldBase64 = Base64.getEncoder().encodeToString(oldKey);
        String current = Base64.getEncoder().encodeToString(new byte[32]);
        String sealed = new SecretCipher(oldKey).encrypt("x", "c");
        SecretCipher configured = new SecretCipher(new CryptoProperties(current, List.of(" " + oldBase64 + " ", ""),
                dataDir.toString()));
        assertThat(configured.decrypt(sealed, "c")).isEqualTo("x");
        assertThatThrownBy(() -> new SecretCipher(new CryptoProperties(current, List.of("c2hvcnQ="),
                dataDir.toString()))).hasMessageContaining("ENGAGE_PREVIOUS_MASTER_KEYS");
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
