package io.engage.crypto;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar engage.jar reencrypt}: re-seals every sealed value under the current master key. Run it after
 * setting a new {@code ENGAGE_MASTER_KEY} with the old one in {@code ENGAGE_PREVIOUS_MASTER_KEYS}; once it reports
 * done, the previous key can be dropped. It also seals values stored in plain text by versions before encryption
 * at rest. Safe to run while nodes serve, and again after an interruption (it only rewrites what still needs it).
 */
@Component
@ConditionalOnProperty(name = "engage.command", havingValue = "reencrypt")
class ReencryptCommand implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(ReencryptCommand.class);

    private final List<Resealable> modules;
    private final SecretCipher cipher;
    private int exitCode = 1;

    ReencryptCommand(List<Resealable> modules, SecretCipher cipher) {
        this.modules = modules;
        this.cipher = cipher;
    }

    @Override
    public void run(ApplicationArguments args) {
        log.info("Re-sealing all sealed values under master key {} (readable keys: {})", cipher.keyId(),
                cipher.keyIds());
        long started = System.nanoTime();
        Map<String, Long> total = new TreeMap<>();
        for (Resealable module : modules) {
            total.putAll(module.resealAll().rewritten());
        }
        long rewritten = total.values().stream().mapToLong(Long::longValue).sum();
        log.info("Re-encryption done in {} ms: {} values rewritten {}. Every value is now sealed under master key {}; "
                + "ENGAGE_PREVIOUS_MASTER_KEYS can be removed.", (System.nanoTime() - started) / 1_000_000, rewritten,
                total, cipher.keyId());
        exitCode = 0;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
