package io.engage.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for secrets at rest. A sealed value reads {@code v1.<keyId>.<base64url(iv || ciphertext+tag)>}; the key
 * id names the master key that sealed it so keys can be rotated later. The context (e.g. "agent:ID:llm-api-key") is
 * authenticated data: a value copied into another row does not decrypt.
 */
@Component
public class SecretCipher {

    private static final String VERSION = "v1";
    private static final SecureRandom TOKENS = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final byte[] masterKey;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    @Autowired
    SecretCipher(CryptoProperties properties) {
        this(MasterKeyLoader.load(properties));
    }

    SecretCipher(byte[] masterKey) {
        this.masterKey = masterKey.clone();
        this.key = new SecretKeySpec(derive("aes-gcm-secrets-v1"), "AES");
        this.keyId = HexFormat.of().formatHex(derive("key-id")).substring(0, 8);
    }

    public String keyId() {
        return keyId;
    }

    public String encrypt(String plaintext, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return VERSION + "." + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String sealedValue, String context) {
        String[] parts = sealedValue.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("Not a sealed secret");
        }
        if (!keyId.equals(parts[1])) {
            throw new IllegalStateException("Secret was sealed with master key " + parts[1]
                    + " but the current master key is " + keyId);
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Secret cannot be decrypted (tampered, wrong context or wrong key)", e);
        }
    }

    /** A 32-byte key for one purpose, derived from the master key with HMAC-SHA256 (keys never double up). */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return mac.doFinal(("engage:" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** SHA-256 hex of a high-entropy token (API keys, refresh tokens): what is stored instead of the token. */
    /** {@code bytes} random bytes, base64url without padding: passwords, tokens and keys shown once. */
    public static String randomToken(int bytes) {
        byte[] value = new byte[bytes];
        TOKENS.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    public static String sha256Hex(String token) {
        return sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 hex of bytes (content fingerprints). */
    public static String sha256Hex(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
