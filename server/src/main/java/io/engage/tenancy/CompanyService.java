package io.engage.tenancy;

import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Page;
import io.engage.common.PageQuery;
import io.engage.common.Times;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Companies: creation with their first admin, listing, and deletion that cascades through every module. */
@Service
public class CompanyService {

    private static final Logger log = LoggerFactory.getLogger(CompanyService.class);

    private final CompanyRepository companies;
    private final UserAccounts accounts;
    private final ApplicationEventPublisher events;

    CompanyService(CompanyRepository companies, UserAccounts accounts, ApplicationEventPublisher events) {
        this.companies = companies;
        this.accounts = accounts;
        this.events = events;
    }

    /** A company and its first company admin, in one transaction. */
    @Transactional
    public CompanyWithAdmin create(String name, String adminEmail, String adminPassword) {
        Instant now = Times.now();
        Company company = new Company(Ids.newId(), name.trim(), "active", now, now);
        companies.insert(company);
        User admin = accounts.insert(company.id(), adminEmail, adminPassword, Role.COMPANY_ADMIN);
        log.info("Company created: companyId={} adminUserId={}", company.id(), admin.id());
        return new CompanyWithAdmin(company, admin);
    }

    public record CompanyWithAdmin(Company company, User admin) {
    }

    @Transactional(readOnly = true)
    public Page<Company> list(PageQuery page, String nameContains) {
        return Page.of(companies.list(page, nameContains), page, Company::id);
    }

    @Transactional(readOnly = true)
    public Company get(UUID companyId) {
        return companies.find(companyId).orElseThrow(() -> ApiProblem.notFound("Company", companyId));
    }

    /** The companies that still exist among these ids (one query, for reports over many companies). */
    @Transactional(readOnly = true)
    public List<Company> getAll(Collection<UUID> companyIds) {
        return companies.findAll(companyIds);
    }

    /** Deletes the company and, through {@link CompanyDeletionStarted} and the schema's cascades, all it owns. */
    @Transactional
    public void delete(UUID companyId) {
        get(companyId);
        events.publishEvent(new CompanyDeletionStarted(companyId));
        companies.delete(companyId);
        log.info("Company deleted: companyId={}", companyId);
    }
}
