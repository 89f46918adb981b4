package io.engage.auth;

import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.tenancy.AcceptablePassword;
import io.engage.tenancy.PasswordPolicy;
import io.engage.tenancy.Role;
import io.engage.tenancy.User;
import io.engage.tenancy.UserAccounts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Company API: the company's team (users and their roles). Everyone reads; company admins change. */
@RestController
@RequestMapping("/company/users")
@Tag(name = "Company: team")
class TeamController {

    private final UserAccounts accounts;
    private final Audit audit;

    TeamController(UserAccounts accounts, Audit audit) {
        this.audit = audit;
        this.accounts = accounts;
    }

    @AcceptablePassword(password = "password", email = "email")
    record AddUserRequest(@NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String password, @NotNull Role role) {
    }

    record ChangeRoleRequest(@NotNull Role role) {
    }

    @GetMapping
    Page<User> list(CurrentUser user, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return accounts.listCompanyUsers(user.requireCompany(), PageQuery.of(limit, cursor));
    }

    @PostMapping
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    @Operation(summary = "Add a team member with an initial password")
    ResponseEntity<User> add(CurrentUser user, @Valid @RequestBody AddUserRequest request) {
        User created = accounts.createCompanyUser(user.requireCompany(), request.email(), request.password(),
                request.role());
        audit.record(AuditEntry.of("team.member_added").target("user", created.id()).detail("email", created.email())
                .detail("role", created.role()));
        return ResponseEntity.created(URI.create("/company/users/" + created.id())).body(created);
    }

    @PatchMapping("/{userId}")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    User changeRole(CurrentUser user, @PathVariable UUID userId, @Valid @RequestBody ChangeRoleRequest request) {
        User changed = accounts.changeRole(user.requireCompany(), user.userId(), userId, request.role());
        audit.record(AuditEntry.of("team.role_changed").target("user", userId).detail("role", changed.role()));
        return changed;
    }

    @DeleteMapping("/{userId}")
    @PreAuthorize("hasRole('COMPANY_ADMIN')")
    ResponseEntity<Void> remove(CurrentUser user, @PathVariable UUID userId) {
        accounts.removeCompanyUser(user.requireCompany(), user.userId(), userId);
        audit.record(AuditEntry.of("team.member_removed").target("user", userId));
        return ResponseEntity.noContent().build();
    }
}
