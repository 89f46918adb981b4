package io.engage.tenancy;

import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.common.Times;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users and their credentials. Password hashes never leave this class. */
@Service
public class UserAccounts {

    private final UserRepository users;
    private final CompanyRepository companies;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    /**
     * Compared against when the email is unknown, so response time does not reveal which emails exist. Hashed off
     * the start-up thread (an Argon2 hash is ~0.3 s of a 2-core machine's start-up); the first sign-in with an unknown
     * email waits for it if it is not ready.
     */
    private final CompletableFuture<String> decoyHash;

    UserAccounts(UserRepository users, CompanyRepository companies, PasswordEncoder passwordEncoder,
            PasswordPolicy passwordPolicy) {
        this.users = users;
        this.companies = companies;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.decoyHash = CompletableFuture.supplyAsync(() -> passwordEncoder.encode("decoy-password-for-timing"));
    }

    /** The user whose email and password match, if any (and whose company is active). */
    @Transactional
    public Optional<User> authenticate(String email, String password) {
        Optional<UserRepository.Credentials> found = users.findByEmail(Emails.normalize(email));
        if (found.isEmpty()) {
            passwordEncoder.matches(password, decoyHash.join());
            return Optional.empty();
        }
        UserRepository.Credentials credentials = found.get();
        if (!passwordEncoder.matches(password, credentials.passwordHash())) {
            return Optional.empty();
        }
        User user = credentials.user();
        if (!isActive(user)) {
            return Optional.empty();
        }
        if (passwordEncoder.upgradeEncoding(credentials.passwordHash())) {
            users.updatePasswordHash(user.id(), passwordEncoder.encode(password));
        }
        users.touchLogin(user.id(), Times.now());
        return Optional.of(user);
    }

    /**
     * The active user with this email whom {@code allowed} admits, for a sign-in whose identity was verified elsewhere
     * (an OIDC provider confirmed the email); records the sign-in time like a password login. Never creates a user.
     */
    @Transactional
    public Optional<User> signInByVerifiedEmail(String email, Predicate<User> allowed) {
        Optional<User> user = users.findByEmail(Emails.normalize(email)).map(UserRepository.Credentials::user)
                .filter(this::isActive).filter(allowed);
        user.ifPresent(u -> users.touchLogin(u.id(), Times.now()));
        return user;
    }

    /** The user, if it still exists and its company is active: checked on every authenticated request. */
    @Transactional(readOnly = true)
    public Optional<User> findActive(UUID userId) {
        return users.find(userId).filter(this::isActive);
    }

    private boolean isActive(User user) {
        return user.companyId() == null
                || companies.find(user.companyId()).map(c -> "active".equals(c.status())).orElse(false);
    }

    @Transactional
    public User createCompanyUser(UUID companyId, String email, String password, Role role) {
        if (!role.isCompanyRole()) {
            throw ApiProblem.unprocessable("role", "must be COMPANY_ADMIN or COMPANY_MEMBER");
        }
        return insert(companyId, email, password, role);
    }

    /** Every stored password passes here, so the policy holds for every way an account is created. */
    User insert(UUID companyId, String email, String password, Role role) {
        String normalized = Emails.normalize(email);
        passwordPolicy.check("password", password, normalized);
        if (users.existsByEmail(normalized)) {
            throw ApiProblem.conflict("Email already registered", "A user with email " + normalized + " exists");
        }
        User user = new User(Ids.newId(), companyId, normalized, role, Times.now(), null);
        users.insert(user, passwordEncoder.encode(password));
        return user;
    }

    @Transactional(readOnly = true)
    public Page<User> listCompanyUsers(UUID companyId, PageQuery page) {
        return Page.of(users.listByCompany(companyId, page), page, User::id);
    }

    @Transactional
    public User changeRole(UUID companyId, UUID actingUserId, UUID userId, Role role) {
        if (!role.isCompanyRole()) {
            throw ApiProblem.unprocessable("role", "must be COMPANY_ADMIN or COMPANY_MEMBER");
        }
        User user = companyUser(companyId, userId);
        if (user.role() == Role.COMPANY_ADMIN && role != Role.COMPANY_ADMIN) {
            requireAnotherAdmin(companyId, actingUserId, userId, "demote");
        }
        users.updateRole(companyId, userId, role);
        return companyUser(companyId, userId);
    }

    @Transactional
    public void removeCompanyUser(UUID companyId, UUID actingUserId, UUID userId) {
        User user = companyUser(companyId, userId);
        if (user.role() == Role.COMPANY_ADMIN) {
            requireAnotherAdmin(companyId, actingUserId, userId, "remove");
        }
        users.deleteInCompany(companyId, userId);
    }

    private void requireAnotherAdmin(UUID companyId, UUID actingUserId, UUID userId, String verb) {
        if (userId.equals(actingUserId)) {
            throw ApiProblem.conflict("Cannot " + verb + " yourself", "Ask another company admin to do it");
        }
        if (users.countByCompanyAndRole(companyId, Role.COMPANY_ADMIN) <= 1) {
            throw ApiProblem.conflict("Last company admin", "A company keeps at least one company admin");
        }
    }

    private User companyUser(UUID companyId, UUID userId) {
        return users.find(userId).filter(u -> companyId.equals(u.companyId()))
                .orElseThrow(() -> ApiProblem.notFound("User", userId));
    }

    /** Creates the platform admin when none exists yet; returns whether one was created. */
    @Transactional
    public boolean ensurePlatformAdmin(String email, String password) {
        if (users.anyWithRole(Role.PLATFORM_ADMIN)) {
            return false;
        }
        insert(null, email, password, Role.PLATFORM_ADMIN);
        return true;
    }
}
