package io.engage.auth;

import io.engage.audit.Audit;
import io.engage.audit.AuditActor;
import io.engage.audit.AuditEntry;
import io.engage.common.ApiProblem;
import io.engage.tenancy.AcceptablePassword;
import io.engage.tenancy.CompanyService;
import io.engage.tenancy.PasswordPolicy;
import io.engage.tenancy.Role;
import io.engage.tenancy.User;
import io.engage.tenancy.UserAccounts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Sign-in, sign-up, token refresh and sign-out. */
@RestController
@Tag(name = "Auth")
class AuthController {

    private final UserAccounts accounts;
    private final CompanyService companies;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final Audit audit;

    AuthController(UserAccounts accounts, CompanyService companies, TokenService tokens, LoginThrottle throttle,
            Audit audit) {
        this.audit = audit;
        this.accounts = accounts;
        this.companies = companies;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    record LoginRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 128) String password) {
    }

    @AcceptablePassword(password = "password", email = "email")
    record SignupRequest(
            @NotBlank @Size(max = 200) String companyName,
            @NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String password) {
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {
    }

    record Me(UUID userId, String email, Role role, UUID companyId, String companyName) {
    }

    @PostMapping("/admin/login")
    @SecurityRequirements
    @Operation(summary = "Platform admin sign-in")
    TokenService.TokenResponse adminLogin(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return login(request, http, user -> user.role() == Role.PLATFORM_ADMIN);
    }

    @PostMapping("/company/login")
    @SecurityRequirements
    @Operation(summary = "Company user sign-in")
    TokenService.TokenResponse companyLogin(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return login(request, http, user -> user.role().isCompanyRole());
    }

    private TokenService.TokenResponse login(LoginRequest request, HttpServletRequest http, Predicate<User> allowed) {
        String account = request.email().trim().toLowerCase(Locale.ROOT);
        throttle.beforeLogin(http.getRemoteAddr(), account);
        User user = accounts.authenticate(request.email(), request.password()).filter(allowed).orElse(null);
        if (user == null) {
            throttle.loginFailed(account);
            audit.record(AuditEntry.of("auth.login_failed").by(AuditActor.anonymous(account))
                    .detail("endpoint", http.getRequestURI()));
            throw ApiProblem.unauthorized("Invalid email or password");
        }
        throttle.loginSucceeded(account);
        audit.record(AuditEntry.of("auth.login_succeeded").by(actor(user)).target("user", user.id()));
        return tokens.issue(user);
    }

    @PostMapping("/company/signup")
    @SecurityRequirements
    @Operation(summary = "Create a company and its first admin; returns tokens for that admin")
    ResponseEntity<TokenService.TokenResponse> signup(@Valid @RequestBody SignupRequest request,
            HttpServletRequest http) {
        throttle.beforeSignup(http.getRemoteAddr());
        CompanyService.CompanyWithAdmin created = companies.create(request.companyName(), request.email(),
                request.password());
        User admin = created.admin();
        audit.record(AuditEntry.of("auth.signup").by(actor(admin)).target("company", created.company().id()));
        return ResponseEntity.status(HttpStatus.CREATED).body(tokens.issue(admin));
    }

    @PostMapping("/auth/refresh")
    @SecurityRequirements
    @Operation(summary = "Exchange a refresh token for a new token pair (the old refresh token stops working)")
    TokenService.TokenResponse refresh(@Valid @RequestBody RefreshRequest request) {
        return tokens.refresh(request.refreshToken());
    }

    @PostMapping("/auth/logout")
    @SecurityRequirements
    @Operation(summary = "Revoke the refresh token's session")
    ResponseEntity<Void> logout(@Valid @RequestBody RefreshRequest request) {
        tokens.revoke(request.refreshToken());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/auth/me")
    @Operation(summary = "The signed-in user")
    Me me(CurrentUser user) {
        String companyName = user.companyId() == null ? null : companies.get(user.companyId()).name();
        return new Me(user.userId(), user.email(), user.role(), user.companyId(), companyName);
    }

    private static AuditActor actor(User user) {
        return new AuditActor(user.id(), user.email(), user.role().name(), user.companyId());
    }
}
