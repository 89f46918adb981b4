package io.engage.crypto;

import io.engage.common.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the master key: the configured one, else the one kept in the data directory, else a new one written there. */
final class MasterKeyLoader {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyLoader.class);
    static final String KEY_FILE = "master.key";

    private MasterKeyLoader() {
    }

    static byte[] load(CryptoProperties properties) {
        if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
            return decode(properties.masterKey().trim(), "ENGAGE_MASTER_KEY");
        }
        Path file = Path.of(properties.dataDir() == null ? "./data" : properties.dataDir()).resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
            return create(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the master key at " + file, e);
        }
    }

    /** The keys being rotated out, in the order configured. */
    static List<byte[]> previous(CryptoProperties properties) {
        return properties.previousMasterKeys().stream().map(k -> decode(k, "ENGAGE_PREVIOUS_MASTER_KEYS")).toList();
    }

    private static byte[] create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            OwnerOnlyFiles.create(file);
        } catch (FileAlreadyExistsException raced) {
            // another node sharing the data directory wrote it first: use theirs
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        log.warn("No ENGAGE_MASTER_KEY set: generated a master key at {} (mode 0600). Back it up: without it "
                + "encrypted secrets cannot be read. Set ENGAGE_MASTER_KEY in production.", file.toAbsolutePath());
        return key;
    }

    private static byte[] decode(String base64, String origin) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key from " + origin + " is not valid base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException("The master key from " + origin + " must be 32 bytes (base64 of 32 random"
                    + " bytes, e.g. `openssl rand -base64 32`), but is " + key.length + " bytes");
        }
        return key;
    }
}
