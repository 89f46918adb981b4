package io.engage.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for secrets and conversation text at rest. A sealed value reads
 * {@code v1.<keyId>.<base64url(iv || ciphertext+tag)>}; the key id names the master key that sealed it, so that
 * after a rotation values sealed under a previous key ({@code ENGAGE_PREVIOUS_MASTER_KEYS}) still open and the
 * re-encryption command can find and re-seal them. The context (e.g. "agent:ID:llm-api-key") is authenticated data:
 * a value copied into another row does not decrypt. New values are always sealed under the current key.
 */
@Component
public class SecretCipher {

    private static final String VERSION = "v1";
    private static final Pattern SEALED = Pattern.compile("v1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]{38,}");
    private static final SecureRandom TOKENS = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey current;
    private final Map<String, MasterKey> keysById = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /**
     * One AES-GCM instance per thread, initialised afresh (new IV) for every value: looking up the provider for each
     * value cost as much as sealing it, and two turns are sealed per answer.
     */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(SecretCipher::newGcm);

    /** One master key: its id and the AES key derived from it. */
    private record MasterKey(String id, byte[] material, SecretKeySpec aes) {

        static MasterKey of(byte[] material) {
            byte[] copy = material.clone();
            return new MasterKey(HexFormat.of().formatHex(hmac(copy, "key-id")).substring(0, 8), copy,
                    new SecretKeySpec(hmac(copy, "aes-gcm-secrets-v1"), "AES"));
        }
    }

    @Autowired
    SecretCipher(CryptoProperties properties) {
        this(MasterKeyLoader.load(properties), MasterKeyLoader.previous(properties));
    }

    SecretCipher(byte[] masterKey) {
        this(masterKey, List.of());
    }

    SecretCipher(byte[] masterKey, List<byte[]> previousKeys) {
        this.current = MasterKey.of(masterKey);
        keysById.put(current.id(), current);
        for (byte[] previous : previousKeys) {
            MasterKey key = MasterKey.of(previous);
            keysById.putIfAbsent(key.id(), key);
        }
    }

    /** The id of the current master key (the one new values are sealed under). */
    public String keyId() {
        return current.id();
    }

    /** What every value sealed under the current key starts with ({@code v1.<keyId>.}), e.g. for SQL filters. */
    public String currentPrefix() {
        return VERSION + "." + current.id() + ".";
    }

    /** Ids of every key that can open values: the current one first, then those being rotated out. */
    public List<String> keyIds() {
        return List.copyOf(keysById.keySet());
    }

    public String encrypt(String plaintext, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, current.aes(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return currentPrefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String sealedValue, String context) {
        String[] parts = sealedValue.split("\\.", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("Not a sealed secret");
        }
        MasterKey key = keysById.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("Value was sealed with master key " + parts[1] + ", which is neither the "
                    + "current master key (" + current.id() + ") nor one of ENGAGE_PREVIOUS_MASTER_KEYS");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            Cipher cipher = GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Secret cannot be decrypted (tampered, wrong context or wrong key)", e);
        }
    }

    private static Cipher newGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Null-safe {@link #encrypt}: for optional columns. */
    public String seal(String plaintext, String context) {
        return plaintext == null ? null : encrypt(plaintext, context);
    }

    /**
     * Null-safe {@link #decrypt} for columns that were plain text before encryption at rest came in: a value that is
     * not in the sealed format is such a legacy value and is returned as it is (the re-encryption command seals it).
     */
    public String open(String value, String context) {
        return value == null || !isSealed(value) ? value : decrypt(value, context);
    }

    /** True for values in the sealed format (as opposed to legacy plain text). */
    public static boolean isSealed(String value) {
        return value != null && SEALED.matcher(value).matches();
    }

    /** True when the value should be re-sealed: legacy plain text, or sealed under a key other than the current. */
    public boolean needsResealing(String value) {
        return value != null && !(isSealed(value) && value.startsWith(currentPrefix()));
    }

    /** The value (sealed under any known key, or legacy plain text) sealed under the current key. */
    public String reseal(String value, String context) {
        return encrypt(open(value, context), context);
    }

    /**
     * A keyed digest of {@code text} (HMAC-SHA256 under a key derived from the current master key for
     * {@code purpose}), hex: lets equal values be grouped or looked up without storing them in clear.
     */
    public String blindIndex(String purpose, String text) {
        return HexFormat.of().formatHex(hmac(derive("blind-index:" + purpose), text));
    }

    /** A 32-byte key for one purpose, derived from the current master key with HMAC-SHA256 (keys never double up). */
    public byte[] derive(String purpose) {
        return hmac(current.material(), purpose);
    }

    private static byte[] hmac(byte[] key, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
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
