/**
 * Tenancy: companies (tenants) and their users (platform admin, company admin, company member), credentials, the
 * bootstrap platform admin, the password policy and cascading company deletion. Public face:
 * {@link io.engage.tenancy.CompanyService}, {@link io.engage.tenancy.UserAccounts},
 * {@link io.engage.tenancy.PasswordPolicy}, the {@link io.engage.tenancy.Company} / {@link io.engage.tenancy.User}
 * records, {@link io.engage.tenancy.Role} and the {@link io.engage.tenancy.CompanyDeletionStarted} event.
 */
package io.engage.tenancy;
