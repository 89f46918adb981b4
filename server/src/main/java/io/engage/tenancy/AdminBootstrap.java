package io.engage.tenancy;

import io.engage.common.ApiProblem;
import io.engage.crypto.SecretCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At first start (no platform admin yet) creates one from ENGAGE_ADMIN_EMAIL / ENGAGE_ADMIN_PASSWORD. Without a
 * configured password a random one is generated and logged this once, so a fresh install can be signed in to.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserAccounts accounts;
    private final PasswordPolicy policy;
    private final String email;
    private final String password;
    private final boolean command;

    AdminBootstrap(UserAccounts accounts, PasswordPolicy policy, @Value("${engage.admin.email}") String email,
            @Value("${engage.admin.password:}") String password, @Value("${engage.command:}") String command) {
        this.command = !command.isBlank();
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
        if (created) {
            if (generated) {
                log.warn("Created platform admin {} with generated password: {} (shown once; set "
                        + "ENGAGE_ADMIN_PASSWORD to choose it)", email, effective);
            } else {
                log.info("Created platform admin {} from ENGAGE_ADMIN_EMAIL/ENGAGE_ADMIN_PASSWORD", email);
            }
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
