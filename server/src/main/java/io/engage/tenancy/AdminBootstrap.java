package io.engage.tenancy;

import io.engage.common.ApiProblem;
import io.engage.common.OwnerOnlyFiles;
import io.engage.crypto.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At first start (no platform admin yet) creates one from ENGAGE_ADMIN_EMAIL / ENGAGE_ADMIN_PASSWORD. Without a
 * configured password a random one is generated and written to {@code admin-password} in the data directory (mode
 * 0600, like a generated master key), so a fresh install can be signed in to; it is never logged, as logs are
 * shipped and kept where secrets must not be.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    static final String PASSWORD_FILE = "admin-password";

    private final UserAccounts accounts;
    private final PasswordPolicy policy;
    private final String email;
    private final String password;
    private final Path passwordFile;
    private final boolean command;

    AdminBootstrap(UserAccounts accounts, PasswordPolicy policy, @Value("${engage.admin.email}") String email,
            @Value("${engage.admin.password:}") String password, @Value("${engage.command:}") String command,
            @Value("${engage.data-dir}") String dataDir) {
        this.command = !command.isBlank();
        this.passwordFile = Path.of(dataDir).resolve(PASSWORD_FILE);
        this.accounts = accounts;
        this.policy = policy;
        this.email = email;
        this.password = password;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (command) {
            return; // a one-off command (e.g. reencrypt) must not create accounts or print passwords
        }
        boolean generated = password == null || password.isBlank();
        String effective = generated ? randomPassword() : password;
        if (generated) {
            // written before the admin exists: an admin whose only password went nowhere could not be signed in to
            writePasswordFile(effective);
        }
        boolean created;
        try {
            created = accounts.ensurePlatformAdmin(email, effective);
        } catch (ApiProblem e) {
            if (e.getStatusCode().value() == 422) {
                // checked only when the admin is created: once it exists, the variable is not used any more
                throw new IllegalStateException("ENGAGE_ADMIN_PASSWORD is not accepted: " + e.getBody().getDetail());
            }
            log.warn("Platform admin {} not created: {}", email, e.getBody().getDetail());
            return;
        } catch (RuntimeException e) {
            // another node bootstrapped at the same moment, or the email already belongs to a company user
            log.warn("Platform admin {} not created: {}", email, e.getMessage());
            return;
        }
        if (generated && !created) {
            deletePasswordFile(); // the admin existed already: this password was never used
        }
        if (created) {
            if (generated) {
                log.warn("Created platform admin {} with a generated password, written to {} (mode 0600): sign in "
                        + "with it, then delete the file (or set ENGAGE_ADMIN_PASSWORD to choose it)", email,
                        passwordFile.toAbsolutePath());
            } else {
                log.info("Created platform admin {} from ENGAGE_ADMIN_EMAIL/ENGAGE_ADMIN_PASSWORD", email);
            }
        }
    }

    private void writePasswordFile(String generatedPassword) {
        try {
            OwnerOnlyFiles.replace(passwordFile, generatedPassword + System.lineSeparator());
        } catch (IOException e) {
            throw new IllegalStateException("Could not write the generated platform admin password to " + passwordFile
                    + " (" + e.getMessage() + "); set ENGAGE_ADMIN_PASSWORD instead", e);
        }
    }

    private void deletePasswordFile() {
        try {
            Files.deleteIfExists(passwordFile);
        } catch (IOException e) {
            log.warn("Could not delete the unused {}: {}", passwordFile, e.getMessage());
        }
    }

    private String randomPassword() {
        String random;
        do {
            random = SecretCipher.randomToken(18);
        } while (policy.violation(random, email).isPresent()); // e.g. it happened to contain "admin"
        return random;
    }
}
