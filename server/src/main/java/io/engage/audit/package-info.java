/**
 * Audit log: who did what, when and from where, for admin and company actions (company and agent changes, keys,
 * knowledge, team, end-user blocking, knowledge gaps, sign-in and sign-up). Entries are written in the caller's
 * transaction, so an action that rolls back leaves none; they never hold secrets and outlive the company they concern.
 * Readable by the platform admin only ({@code GET /admin/audit}). Depends only on common.
 * Public face: {@link io.engage.audit.Audit}, {@link io.engage.audit.AuditEntry} and {@link io.engage.audit.AuditActor}.
 */
package io.engage.audit;
