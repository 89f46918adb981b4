package io.engage.tenancy;

import io.engage.common.LockConflicts;
import io.engage.audit.Audit;
import io.engage.audit.AuditEntry;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: companies. Only platform admins reach /admin/** (see the security configuration). */
@RestController
@RequestMapping("/admin/companies")
@Tag(name = "Admin: companies")
class AdminCompanyController {

    private final CompanyService companies;
    private final Audit audit;

    AdminCompanyController(CompanyService companies, Audit audit) {
        this.audit = audit;
        this.companies = companies;
    }

    @AcceptablePassword(password = "adminPassword", email = "adminEmail")
    record CreateCompanyRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String adminEmail,
            @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String adminPassword) {
    }

    @GetMapping
    @Operation(summary = "List companies", description = "Filter by name with q; keyset paging with limit/cursor")
    Page<Company> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String q) {
        return companies.list(PageQuery.of(limit, cursor), q);
    }

    @PostMapping
    @Operation(summary = "Create a company with its first company admin")
    ResponseEntity<Company> create(@Valid @RequestBody CreateCompanyRequest request) {
        Company company = companies.create(request.name(), request.adminEmail(), request.adminPassword()).company();
        audit.record(AuditEntry.of("company.created").company(company.id()).target("company", company.id()));
        return ResponseEntity.created(URI.create("/admin/companies/" + company.id())).body(company);
    }

    @GetMapping("/{companyId}")
    Company get(@PathVariable UUID companyId) {
        return companies.get(companyId);
    }

    @DeleteMapping("/{companyId}")
    @Operation(summary = "Delete a company and everything it owns (agents, knowledge, end-users, memory, keys)")
    ResponseEntity<Void> delete(@PathVariable UUID companyId) {
        LockConflicts.retry("Company deletion", () -> companies.delete(companyId));
        audit.record(AuditEntry.of("company.deleted").company(companyId).target("company", companyId));
        return ResponseEntity.noContent().build();
    }
}
